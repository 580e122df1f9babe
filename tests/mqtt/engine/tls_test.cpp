// mqtts:// with a broker whose certificate a CA of the test signed: the engine
// connects with ca_file and its rules work; with a CA that did not sign it, the
// connection is refused with a clear error and the engine keeps running.

#include <gtest/gtest.h>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

std::string tls_home(const TestBroker& broker, const std::string& ca_file) {
  return "return {mqtt = {broker = '" + broker.tls_url() + "', ca_file = '" + ca_file + "'}}\n";
}

TEST(tls, the_engine_connects_over_tls_with_the_brokers_ca) {
  TestBroker broker({.username = "", .password = "", .tls = true});
  TestHome home(tls_home(broker, broker.ca_file().string()), "#mqtt{topic = 'test/ping'} => log('pong')\n");
  EngineRun engine(home);
  engine.wait_for("mqtt: connected to localhost:");
  TestClient client(broker);  // On the plain listener of the same broker.
  engine.publish_until(client, "test/ping", "1", "pong");
}

TEST(tls, a_certificate_the_ca_did_not_sign_is_refused_and_said_so) {
  TestBroker broker({.username = "", .password = "", .tls = true});
  TestBroker other({.username = "", .password = "", .tls = true});  // Its CA signed another certificate.
  TestHome home(tls_home(broker, other.ca_file().string()), "@@00:00:01 => log('tick')\n");
  EngineRun engine(home);
  engine.wait_for("mqtt: ");
  const std::size_t ticking = engine.wait_for("tick");
  engine.wait_for("tick", ticking + 1);
  EXPECT_EQ(engine.count("mqtt: connected"), 0U) << engine.output();
  // The handshake fails while connecting or right after, depending on timing; either
  // way the line names the broker and says TLS.
  const std::string address = broker.tls_url().substr(std::string("mqtts://").size());
  EXPECT_NE(engine.output().find(address), std::string::npos) << engine.output();
  EXPECT_NE(engine.output().find("TLS error"), std::string::npos) << engine.output();
}

}  // namespace
}  // namespace er::mqtt_test
