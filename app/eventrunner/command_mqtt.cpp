// eventrunner mqtt scan BROKER [--seconds N] [--username NAME] [--password-file FILE]
//
// Connects to a broker, listens a few seconds, and prints what it found (Zigbee2MQTT
// devices, Tasmota devices, Home Assistant discovery entities, other retained topics)
// as a block to paste into home.lua (docs/mqtt.md). The password comes from
// --password-file or the environment variable EVENTRUNNER_MQTT_PASSWORD, never from
// the command line. Exit 0 after a scan, 1 when the broker could not be reached, 2 on
// usage errors.

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <ostream>

#include "adapters/mqtt/connection.h"
#include "adapters/mqtt/scan.h"
#include "arg_reader.h"
#include "cli.h"
#include "duration.h"

namespace er::cli {

namespace {

struct ScanArgs {
  std::string broker;
  double seconds = 3;
  nlohmann::json config = nlohmann::json::object();
};

// Keeps the last message of every topic, and whether and how the connection ended.
class Collector final : public mqtt::ConnectionListener {
 public:
  void on_connected() override {
    const std::lock_guard<std::mutex> lock(mutex_);
    connected_ = true;
    changed_.notify_all();
  }
  void on_connection_lost(const std::string& /*reason*/) override {}
  void on_connect_failed(const std::string& reason, long /*retry_ms*/) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    failure_ = reason;
    changed_.notify_all();
  }
  void on_message(std::string_view topic, std::string_view payload, bool /*retained*/) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    messages_[std::string(topic)] = std::string(payload);
  }

  // Waits for the connection; the failure's reason when it did not come.
  std::optional<std::string> wait_connected(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, limit, [this] { return connected_ || !failure_.empty(); });
    if (connected_) return std::nullopt;
    return failure_.empty() ? std::string("no answer from the broker") : failure_;
  }

  std::vector<mqtt::ScannedMessage> messages() {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<mqtt::ScannedMessage> list;
    for (const auto& [topic, payload] : messages_) list.push_back({topic, payload});
    return list;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  std::string failure_;
  std::map<std::string, std::string> messages_;
};

// The Tasmota devices of a scan so far: tele/<topic>/LWT.
std::vector<std::string> tasmota_topics(const std::vector<mqtt::ScannedMessage>& messages) {
  std::vector<std::string> topics;
  for (const mqtt::ScannedMessage& message : messages) {
    const std::string& t = message.topic;
    if (t.starts_with("tele/") && t.ends_with("/LWT") && t.size() > 9) topics.push_back(t.substr(5, t.size() - 9));
  }
  return topics;
}

bool apply_scan_option(ArgReader& reader, ScanArgs& args) {
  const std::string_view name = reader.name();
  if (name != "--seconds" && name != "--username" && name != "--password-file") {
    reader.unknown();
    return false;
  }
  const std::optional<std::string> value = reader.value();
  if (!value) return false;
  if (name == "--seconds") {
    const std::optional<double> seconds = luasys::app::parse_non_negative(*value);
    if (!seconds || *seconds <= 0) reader.fail("--seconds: expected a positive number, got '" + *value + "'");
    args.seconds = seconds.value_or(3);
  } else if (name == "--username") {
    args.config["username"] = *value;
  } else {
    args.config["password_file"] = *value;
  }
  return !reader.failed();
}

std::optional<ScanArgs> parse_scan_args(std::span<const std::string_view> argv, Streams& streams) {
  ScanArgs args;
  ArgReader reader(argv, streams);
  bool saw_scan = false;
  while (reader.next()) {
    if (reader.is_option()) {
      apply_scan_option(reader, args);
    } else if (!saw_scan) {
      saw_scan = true;
      if (reader.operand() != "scan") reader.fail("unknown mqtt command '" + std::string(reader.operand()) + "' (try: mqtt scan BROKER)");
    } else if (args.broker.empty()) {
      args.broker = reader.operand();
    } else {
      reader.fail("mqtt scan takes one BROKER");
    }
  }
  if (!reader.failed() && args.broker.empty()) reader.fail("usage: eventrunner mqtt scan BROKER (e.g. mqtt://127.0.0.1:1883)");
  if (reader.failed()) return std::nullopt;
  args.config["broker"] = args.broker;
  args.config["client_id"] = "eventrunner-scan";
  if (const char* password = std::getenv("EVENTRUNNER_MQTT_PASSWORD"); password != nullptr) {
    args.config["password_env"] = "EVENTRUNNER_MQTT_PASSWORD";
  }
  return args;
}

}  // namespace

int command_mqtt(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<ScanArgs> args = parse_scan_args(argv, streams);
  if (!args) return kExitUsage;
  const mqtt::ConfigResult config = mqtt::parse_config(args->config, ".");
  for (const std::string& problem : config.problems) streams.err << "eventrunner: " << problem << '\n';
  if (!config.problems.empty()) return kExitUsage;
  Collector collector;
  mqtt::Connection connection(config.config, "", collector);
  if (!connection.setup_error().empty()) {
    streams.err << "eventrunner: mqtt: " << connection.setup_error() << '\n';
    return kExitErrors;
  }
  connection.start();
  if (const std::optional<std::string> failure = collector.wait_connected(std::chrono::seconds(10))) {
    streams.err << "eventrunner: mqtt scan " << args->broker << ": " << *failure << '\n';
    return kExitErrors;
  }
  connection.subscribe("#", 0);
  // Listening is the job. Halfway through, each Tasmota device found is asked for its
  // power state (an empty POWER command changes nothing), which tells a switch from a
  // sensor.
  const std::chrono::duration<double> half(args->seconds / 2);
  std::this_thread::sleep_for(half);
  for (const std::string& topic : tasmota_topics(collector.messages())) {
    connection.publish(mqtt::Publish{"cmnd/" + topic + "/POWER", "", 1, false});
  }
  std::this_thread::sleep_for(half);
  connection.stop({});
  streams.out << mqtt::format_scan(mqtt::analyse_scan(collector.messages()), args->broker);
  return kExitOk;
}

}  // namespace er::cli
