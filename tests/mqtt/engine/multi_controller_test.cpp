// Rules across controllers (docs/multi-controller.md): three `eventrunner run`
// processes, hub, garage and shed, on one mosquitto on loopback. Events go with
// `publish` to the controllers that `subscribe`d to them and with `remote` to one;
// each is applied at most once, and a malformed one is logged and dropped.

#include <gtest/gtest.h>

#include <memory>

#include "engine_run.h"
#include "mqtt/support/broker.h"
#include "mqtt/support/payload.h"
#include "mqtt/support/test_client.h"

namespace er::mqtt_test {
namespace {

// home.lua of controller `name` on `broker`, base topic `er`.
std::string controller_home(const TestBroker& broker, const std::string& name) {
  return "return {controller = '" + name + "', mqtt = {broker = '" + broker.url() + "', base_topic = 'er'}}\n";
}

// A controller: its home and its engine, started and online. Online after the banner
// means its subscriptions reached the broker first (the bridge subscribes before it
// says online, and the broker handles one connection's packets in order).
struct Controller {
  Controller(const TestBroker& broker, TestClient& observer, const std::string& name, const std::string& rules)
      : home(controller_home(broker, name), rules), engine(std::make_unique<EngineRun>(home)) {
    observer.wait_for("er/" + name + "/status", is("online"));
  }
  TestHome home;
  std::unique_ptr<EngineRun> engine;
};

// The hub publishes what the test sends on test/<type>: its #mqtt rules subscribe
// before it is online, so one message (QoS 1) is enough.
const char* const kHubRules =
    "#mqtt{topic = 'test/ring', payload = '$p'} => publish(#doorbell{button = p})\n"
    "#mqtt{topic = 'test/open', payload = '$p'} => remote(p, #open{door = 'main'})\n";

TEST(multi_controller, status_topic_per_controller_with_last_will) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  Controller garage(broker, observer, "garage", "");
  Controller shed(broker, observer, "shed", "");
  const std::size_t since = observer.received();
  garage.engine->stop();
  observer.wait_for("er/garage/status", is("offline"), kDefaultTimeout, since);
  TestClient later(broker);  // Retained: who connects later knows who is up.
  later.subscribe("er/+/status");
  EXPECT_TRUE(later.wait_for("er/garage/status", is("offline")).retained);
  EXPECT_TRUE(later.wait_for("er/shed/status", is("online")).retained);
}

TEST(multi_controller, publish_reaches_each_matching_subscriber_once) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/#", 1);
  Controller garage(broker, observer, "garage",
                    "subscribe(#doorbell)\n"
                    "#doorbell{button = '$b'} => log('garage heard %s from %s', b, env.event._from)\n");
  Controller shed(broker, observer, "shed",
                  "subscribe(#doorbell{button = 'back'})\n"
                  "#doorbell{button = '$b'} => log('shed heard %s', b)\n");
  Controller hub(broker, observer, "hub", kHubRules);
  observer.publish("test/ring", "front", 1);
  garage.engine->wait_for("garage heard front from hub");
  // On the wire: the sender, its run, a sequence number and the event.
  const Message sent = observer.wait_for("er/hub/events/doorbell", json_has({{"from", "hub"}, {"seq", 1}}));
  EXPECT_FALSE(sent.retained);
  observer.publish("test/ring", "back", 1);
  shed.engine->wait_for("shed heard back");
  garage.engine->wait_for("garage heard back from hub");
  // The shed's pattern wants the back door only, and nothing is applied twice.
  EXPECT_EQ(shed.engine->count("shed heard front"), 0U);
  EXPECT_EQ(garage.engine->count("garage heard front"), 1U);
  EXPECT_EQ(shed.engine->count("shed heard back"), 1U);
  EXPECT_EQ(hub.engine->count("heard"), 0U);  // A controller does not hear itself.
}

TEST(multi_controller, remote_goes_to_one_controller) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  const std::string opener = "#open{door = '$d'} => log('%s opened by %s', d, env.event._from)\n";
  Controller garage(broker, observer, "garage", opener);
  Controller shed(broker, observer, "shed", opener);
  Controller hub(broker, observer, "hub", kHubRules);
  observer.publish("test/open", "garage", 1);
  garage.engine->wait_for("main opened by hub");
  observer.publish("test/open", "shed", 1);
  shed.engine->wait_for("main opened by hub");
  EXPECT_EQ(garage.engine->count("opened by"), 1U);
  EXPECT_EQ(shed.engine->count("opened by"), 1U);
}

TEST(multi_controller, a_redelivered_event_is_applied_once_and_bad_input_is_dropped) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  Controller garage(broker, observer, "garage", "#ping{n = '$n'} => log('ping %s', n)\n");
  // What a broker redelivers after a broken connection: the same message again.
  const std::string first = R"({"from":"hub","run":7,"seq":1,"event":{"type":"ping","n":1}})";
  observer.publish("er/garage/inbox", first, 1);
  observer.publish("er/garage/inbox", first, 1);
  observer.publish("er/garage/inbox", "{not json", 1);
  observer.publish("er/garage/inbox", R"({"from":"hub","run":7,"seq":2,"event":{"n":2}})", 1);  // No type.
  observer.publish("er/garage/inbox", R"({"from":"hub","run":7,"seq":3,"event":{"type":"ping","n":3}})", 1);
  // A new run of the sender starts its sequence again.
  observer.publish("er/garage/inbox", R"({"from":"hub","run":8,"seq":1,"event":{"type":"ping","n":4}})", 1);
  garage.engine->wait_for("ping 4");
  EXPECT_EQ(garage.engine->count("ping 1"), 1U);
  EXPECT_EQ(garage.engine->count("ping 3"), 1U);
  garage.engine->wait_for("a message on er/garage/inbox: not a JSON object; dropped");
  EXPECT_EQ(garage.engine->count("dropped (said once for this topic)"), 1U);  // Said once.
  EXPECT_EQ(garage.engine->count("ping 2"), 0U);
}

// A controller killed (no goodbye) is offline by its last will; what was sent to it
// while it was down is not replayed when it starts again: it starts from state.
TEST(multi_controller, a_killed_controller_is_offline_and_gets_no_replay_when_it_restarts) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  TestHome garage_home(controller_home(broker, "garage"), "#open{door = '$d'} => log('%s opened', d)\n");
  auto garage = std::make_unique<EngineRun>(garage_home);
  observer.wait_for("er/garage/status", is("online"));
  Controller hub(broker, observer, "hub", "#mqtt{topic = 'test/door', payload = '$p'} => remote('garage', #open{door = p})\n");
  observer.publish("test/door", "first", 1);
  garage->wait_for("first opened");
  std::size_t since = observer.received();
  garage->kill_hard();
  observer.wait_for("er/garage/status", is("offline"), kDefaultTimeout, since);
  observer.subscribe("er/garage/inbox", 1);
  since = observer.received();
  observer.publish("test/door", "missed", 1);  // Queued by the broker for the garage's session.
  observer.wait_for("er/garage/inbox", json_has({{"from", "hub"}, {"seq", 2}}), kDefaultTimeout, since);
  since = observer.received();
  garage = std::make_unique<EngineRun>(garage_home);
  observer.wait_for("er/garage/status", is("online"), kDefaultTimeout, since);
  // A remote event after the restart arrives; the one sent while it was down does not
  // (it would have come first: one sender's messages on one topic keep their order).
  observer.publish("test/door", "third", 1);
  garage->wait_for("third opened");
  EXPECT_EQ(garage->count("missed opened"), 0U);
}

// The garage shares its door; the hub imports it as garage.garage_door, sees its state,
// closes it from a rule, and sees it unavailable while the garage is down.
TEST(multi_controller, remote_device_is_mirrored_forwarded_and_unavailable_while_its_owner_is_down) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  const std::string garage_home =
      "return {controller = 'garage', mqtt = {broker = '" + broker.url() + "', base_topic = 'er'},\n"
      "  devices = {{id = 7, name = 'garage_door', type = 'rollerShutter', props = {value = 0}}}}\n";
  const std::string garage_rules = "#mqtt{topic = 'test/open'} => garage_door:open\n";
  auto garage_folder = std::make_unique<TestHome>(garage_home, garage_rules);
  auto garage = std::make_unique<EngineRun>(*garage_folder);
  observer.wait_for("er/garage/status", is("online"));
  observer.subscribe("er/garage/device/garage_door", 1);  // Retained: shared once online.
  observer.wait_for("er/garage/device/garage_door", json_has({{"type", "rollerShutter"}}));

  TestHome hub_home("return {controller = 'hub', remote = {garage = {'garage_door'}},\n"
                    "  mqtt = {broker = '" + broker.url() + "', base_topic = 'er'}}\n",
                    "garage.garage_door:isOpen => log('hub sees the door open')\n"
                    "garage.garage_door:isClosed & garage.garage_door:available => log('hub sees the door closed')\n"
                    "garage.garage_door:available == false => log('hub: door unavailable')\n"
                    "#mqtt{topic = 'test/close'} => garage.garage_door:close\n");
  EngineRun hub(hub_home);
  // Imported from the retained state before the rules that name it were defined.
  const std::size_t imported = hub.output().find("imported garage.garage_door (rollerShutter)");
  ASSERT_NE(imported, std::string::npos) << hub.output();
  EXPECT_LT(imported, hub.output().find("[RULE1] defined"));
  observer.wait_for("er/hub/status", is("online"));

  garage->publish_until(observer, "test/open", "go", "garage_door: open");
  hub.wait_for("hub sees the door open");
  const std::size_t before_close = hub.output().size();
  observer.publish("test/close", "go", 1);
  garage->wait_for("garage_door: close");  // Forwarded to the owner, done there.
  hub.wait_for("hub sees the door closed", before_close);
  EXPECT_EQ(garage->count("garage_door: close"), 1U);

  garage->stop();
  hub.wait_for("hub: door unavailable");
  garage = std::make_unique<EngineRun>(*garage_folder);  // Back: available again.
  const std::size_t back = hub.output().size();
  hub.wait_for("hub sees the door closed", back);
}

// `shared = {"Mode"}`: a write on one controller reaches the others; the last writer
// wins, and the broker's retained copy holds the winner.
TEST(multi_controller, shared_globals_follow_the_last_writer) {
  TestBroker broker;
  TestClient observer(broker);
  observer.subscribe("er/+/status", 1);
  auto rules = [](const std::string& name) {
    return "$Mode ~= nil => log('Mode is now %s', $Mode)\n"
           "#mqtt{topic = 'test/mode/" + name + "', payload = '$p'} => $Mode = p\n";
  };
  auto shared_home = [&](const std::string& name) {
    return "return {controller = '" + name + "', shared = {'Mode'},\n"
           "  mqtt = {broker = '" + broker.url() + "', base_topic = 'er'}}\n";
  };
  TestHome hub_home(shared_home("hub"), rules("hub"));
  TestHome garage_home(shared_home("garage"), rules("garage"));
  EngineRun hub(hub_home);
  EngineRun garage(garage_home);
  observer.wait_for("er/hub/status", is("online"));
  observer.wait_for("er/garage/status", is("online"));
  observer.publish("test/mode/hub", "away", 1);
  garage.wait_for("Mode is now away");
  observer.publish("test/mode/garage", "night", 1);
  hub.wait_for("Mode is now night");
  TestClient later(broker);
  later.subscribe("er/shared/Mode");
  EXPECT_TRUE(later.wait_for("er/shared/Mode", json_has({{"value", "night"}, {"from", "garage"}})).retained);
}

}  // namespace
}  // namespace er::mqtt_test
