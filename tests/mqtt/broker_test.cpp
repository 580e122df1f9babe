// TestBroker and TestClient: a mosquitto of the test's own on a free loopback port,
// started, stopped, killed and restarted on the same port; logins; wills; 10,000
// retained topics.

#include "mqtt/support/broker.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

using test_support::Failure;

bool equals(std::string_view payload, std::string_view wanted) {
  return payload == wanted;
}

ClientOptions logged_in_as(std::string username, std::string password) {
  ClientOptions options;
  options.username = std::move(username);
  options.password = std::move(password);
  return options;
}

ClientOptions with_will(Message will) {
  ClientOptions options;
  options.will = std::move(will);
  return options;
}

TEST(broker, listens_on_a_free_loopback_port_until_stopped) {
  TestBroker broker;
  EXPECT_GT(broker.port(), 0);
  EXPECT_EQ(broker.url(), "mqtt://127.0.0.1:" + std::to_string(broker.port()));
  TestClient observer(broker);
  observer.subscribe("greeting");
  TestClient device(broker);
  device.publish("greeting", "hello", 1);
  EXPECT_EQ(observer.wait_for("greeting").payload, "hello");

  broker.stop();
  EXPECT_FALSE(broker.running());
  EXPECT_THROW(TestClient late(broker, {}, Millis(1000)), Failure);
}

TEST(broker, brokers_of_parallel_tests_do_not_meet) {
  TestBroker first;
  TestBroker second;
  EXPECT_NE(first.port(), second.port());
  TestClient on_first(first);
  on_first.subscribe("#");
  TestClient on_second(second);
  on_second.publish("elsewhere", "x", 1);
  EXPECT_TRUE(on_first.stays_quiet("#", Millis(200), 0));
}

TEST(broker, restarts_on_the_same_port_without_retained_messages) {
  TestBroker broker;
  const int port = broker.port();
  TestClient observer(broker);
  observer.subscribe("state/#");
  observer.publish("state/lamp", "ON", 1, true);
  observer.wait_for("state/lamp", is("ON"));

  broker.stop();
  broker.start();
  EXPECT_EQ(broker.port(), port);
  // The old client comes back by itself and holds its subscription again.
  observer.wait_connected(Millis(10'000));
  TestClient late(broker);
  late.subscribe("state/#");
  EXPECT_TRUE(late.stays_quiet("state/#", Millis(200), 0)) << "persistence is off";
  const std::size_t mark = observer.received();
  late.publish("state/lamp", "OFF", 1);
  EXPECT_EQ(observer.wait_for("state/lamp", is("OFF"), kDefaultTimeout, mark).payload, "OFF");
}

TEST(broker, kill_drops_the_clients_and_a_start_takes_them_back) {
  TestBroker broker;
  TestClient client(broker);
  client.subscribe("after/kill");
  broker.kill();
  EXPECT_FALSE(broker.running());
  broker.start();
  client.wait_connected(Millis(10'000));
  client.publish("after/kill", "back", 1);
  client.wait_for("after/kill", is("back"));
}

TEST(broker, with_a_password_refuses_anonymous_and_wrong_logins) {
  TestBroker broker({.username = "engine", .password = "s3cret-!pass", .tls = false});
  TestClient engine(broker);  // Logs in with the broker's username and password.
  engine.publish("login/ok", "yes", 1);
  EXPECT_THROW(TestClient anonymous(TestBroker::host(), broker.port()), Failure);
  EXPECT_THROW(TestClient wrong(broker, logged_in_as("engine", "guess")), Failure);
  // The secret is hashed in the password file and absent from the configuration.
  const std::string config = test_support::file_text(broker.folder() / "mosquitto.conf");
  const std::string passwords = test_support::file_text(broker.folder() / "passwords");
  EXPECT_EQ(config.find("s3cret"), std::string::npos);
  EXPECT_EQ(passwords.find("s3cret"), std::string::npos);
  EXPECT_EQ(passwords.rfind("engine:", 0), 0U);
}

TEST(test_client, a_cut_connection_makes_the_broker_publish_the_will) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("device/status");
  TestClient device(broker, with_will({"device/status", "offline", 1, true}));
  device.publish("device/status", "online", 1, true);
  observer.wait_for("device/status", is("online"));
  device.cut_connection();
  observer.wait_for("device/status", is("offline"));
  // The will was retained: a client that comes later still sees it.
  TestClient late(broker);
  late.subscribe("device/status");
  EXPECT_TRUE(late.wait_for("device/status").retained);
  EXPECT_TRUE(equals(late.wait_for("device/status").payload, "offline"));
}

TEST(broker, a_qos1_subscriber_gets_10000_retained_topics) {
  TestBroker broker;
  constexpr std::size_t kTopics = 10'000;
  std::vector<Message> states;
  for (std::size_t index = 0; index < kTopics; ++index) {
    states.push_back({"home/device" + std::to_string(index) + "/state",
                      R"({"value":)" + std::to_string(index) + "}", 1, true});
  }
  TestClient devices(broker);
  devices.publish_all(states, Millis(20'000));
  TestClient engine(broker);
  engine.subscribe("home/#", 1);
  engine.wait_for_count("home/#", kTopics, Millis(20'000));
  EXPECT_EQ(engine.received(), kTopics);
  std::size_t flagged = 0;
  for (const Message& message : engine.messages()) flagged += message.retained ? 1 : 0;
  EXPECT_EQ(flagged, kTopics);  // Replayed on subscribe: every one says it was retained.
}

}  // namespace
}  // namespace er::mqtt_test
