#include "adapters/mqtt/bridge.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

namespace er::mqtt {

namespace {

using nlohmann::json;

// The bus message er.mqtt subscribes to (rules/lua/er/mqtt.lua M.BUS_MESSAGE).
constexpr luasys::StaticText kBusMessage{"er.mqtt"};

// How long the network thread waits for room on a full bus before a report is dropped
// (and said so): long enough to ride out a burst, short enough to stop promptly.
constexpr luasys::Millis kPostTimeoutMs = 1000;

std::optional<DeviceId> device_id_of(const json& value) {
  if (value.is_number_integer()) return DeviceId{value.get<std::int64_t>()};
  if (value.is_string()) return DeviceId{value.get<std::string>()};
  return std::nullopt;
}

json to_json(const DeviceId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return *number;
  return std::get<std::string>(id);
}

std::string id_text(const DeviceId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return std::to_string(*number);
  return std::get<std::string>(id);
}

// Adds the devices of home.lua (JSON [{id, name, type, mqtt}, ...]) to `router`.
void add_devices(Router& router, const json& devices, std::vector<std::string>& problems) {
  if (!devices.is_array()) return;  // Lua encodes an empty list as {}.
  for (const json& device : devices) {
    const std::optional<DeviceId> id = device_id_of(device.value("id", json()));
    if (!id) continue;  // Defining the device reports it.
    DeviceSpec spec{*id, device.value("name", id_text(*id)), device.value("type", ""), device.value("mqtt", json())};
    for (std::string& problem : router.add_device(spec)) problems.push_back("device " + spec.name + ": " + problem);
  }
}

// `<base>/<controller>/status`: one per engine on a broker shared by several
// (docs/multi-controller.md); `<base>/status` for a bridge made without a controller.
std::string status_topic_of(const MqttConfig& config) {
  if (config.controller.empty() || !config.status_per_controller) return config.base_topic + "/status";
  return config.base_topic + "/" + config.controller + "/status";
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

}  // namespace

MqttBridge::MqttBridge(luasys::Bus& bus, const MqttConfig& config)
    : bus_(bus), reporter_(bus), config_(config), status_topic_(status_topic_of(config)),
      router_(config.router), sync_topic_(config.base_topic + "/sync/" + config.client_id) {}

std::unique_ptr<MqttBridge> MqttBridge::create(luasys::Bus& bus, std::string_view config_json,
                                               std::string_view devices_json, const std::string& home_dir,
                                               std::string* error) {
  const json config = json::parse(config_json, nullptr, false);
  const json devices = json::parse(devices_json, nullptr, false);
  ConfigResult parsed = parse_config(config, home_dir);
  std::unique_ptr<MqttBridge> bridge(new MqttBridge(bus, parsed.config));
  add_devices(bridge->router_, devices, parsed.problems);
  // Subscribed with the first connection, before the sync marker: their retained
  // messages are in held_json() when wait_initial_sync returns.
  bridge->lua_filters_.insert(parsed.config.hold.begin(), parsed.config.hold.end());
  ConnectionListener& listener = *bridge;
  bridge->connection_ = std::make_unique<Connection>(parsed.config, bridge->status_topic_, listener);
  if (!bridge->connection_->setup_error().empty()) parsed.problems.push_back("mqtt: " + bridge->connection_->setup_error());
  if (!parsed.problems.empty()) {
    if (error != nullptr) *error = join_lines(parsed.problems);
    return nullptr;
  }
  return bridge;
}

MqttBridge::~MqttBridge() { stop(); }

void MqttBridge::start() { connection_->start(); }

void MqttBridge::stop() {
  if (connection_ != nullptr) connection_->stop(Publish{status_topic_, "offline", 1, true});
}

bool MqttBridge::wait_initial_sync(long limit_ms) {
  std::unique_lock<std::mutex> lock(sync_mutex_);
  return synced_changed_.wait_for(lock, std::chrono::milliseconds(limit_ms), [this] { return synced_; });
}

const std::string& MqttBridge::discovered_json() {
  const std::lock_guard<std::mutex> lock(sync_mutex_);
  discovered_text_ = discovered_.dump();
  return discovered_text_;
}

const std::string& MqttBridge::held_json() {
  const std::lock_guard<std::mutex> lock(sync_mutex_);
  held_text_ = held_.dump();
  return held_text_;
}

// ---- The loop thread ----------------------------------------------------------------

void MqttBridge::perform(const DeviceAction& action) {
  std::string problem;
  std::vector<Publish> messages;
  {
    const std::lock_guard<std::mutex> lock(router_mutex_);
    messages = router_.on_action(action, &problem);
  }
  if (!problem.empty()) log_from_loop("error", "mqtt: " + problem);
  for (const Publish& message : messages) {
    if (!send(message)) {
      log_from_loop("warn", "mqtt: not connected to the broker: device " + id_text(action.device) + " " + action.action +
                      " not sent (" + message.topic + ")");
    }
  }
}

bool MqttBridge::publish_from_lua(const Publish& message) { return send(message); }

bool MqttBridge::send(const Publish& message) {
  if (!connection_->publish(message)) return false;
  sent_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

MqttBridge::Counters MqttBridge::counters() const {
  const std::uint64_t connections = connections_.load(std::memory_order_relaxed);
  return Counters{connected_.load(std::memory_order_relaxed), received_.load(std::memory_order_relaxed),
                  sent_.load(std::memory_order_relaxed), connections > 0 ? connections - 1 : 0,
                  dropped_.load(std::memory_order_relaxed)};
}

void MqttBridge::add_lua_filter(const std::string& filter) {
  {
    const std::lock_guard<std::mutex> lock(filters_mutex_);
    lua_filters_.insert(filter);
  }
  connection_->subscribe(filter);
}

void MqttBridge::remove_lua_filter(const std::string& filter) {
  {
    const std::lock_guard<std::mutex> lock(filters_mutex_);
    lua_filters_.erase(filter);
  }
  connection_->unsubscribe(filter);
}

// ---- The network thread -------------------------------------------------------------

void MqttBridge::on_connected() {
  std::vector<std::string> filters;
  std::vector<Publish> queries;
  std::vector<DeviceId> always_available;
  {
    const std::lock_guard<std::mutex> lock(router_mutex_);
    filters = router_.subscriptions();
    queries = router_.on_connect();
    always_available = router_.devices_without_availability();
  }
  {
    const std::lock_guard<std::mutex> lock(filters_mutex_);
    filters.insert(filters.end(), lua_filters_.begin(), lua_filters_.end());
  }
  for (const std::string& filter : filters) connection_->subscribe(filter);
  if (first_session_) {
    connection_->subscribe(sync_topic_);
    send(Publish{sync_topic_, "sync", 1, false});
  }
  send(Publish{status_topic_, "online", 1, true});
  for (const Publish& query : queries) send(query);
  connections_.fetch_add(1, std::memory_order_relaxed);
  connected_.store(true, std::memory_order_relaxed);
  log("info", "mqtt: connected to " + config_.host + ":" + std::to_string(config_.port));
  last_failure_.clear();
  report_available(always_available, true);
  post("connected");
}

void MqttBridge::on_connection_lost(const std::string& reason) {
  log("warn", "mqtt: connection to " + config_.host + ":" + std::to_string(config_.port) + " lost (" + reason +
                  "); reconnecting");
  std::vector<DeviceId> devices;
  {
    const std::lock_guard<std::mutex> lock(router_mutex_);
    devices = router_.devices();
  }
  connected_.store(false, std::memory_order_relaxed);
  report_available(devices, false);
  // From now on a retained message tells what changed while the engine was away: a
  // device event like any other (a value that did not change posts none).
  first_session_ = false;
  post("disconnected");
}

void MqttBridge::on_connect_failed(const std::string& reason, long retry_ms) {
  // Said once per reason, not at every retry of a broker that stays away.
  if (reason == last_failure_) return;
  last_failure_ = reason;
  log("error", "mqtt: " + reason + "; retrying (every " + std::to_string(retry_ms / 1000) +
                   " s at first, then up to every 60 s)");
}

// Network thread: the marker on_connected sent came back, after the retained messages
// of every subscription before it (the broker answers subscriptions in order, each
// with its retained messages).
void MqttBridge::end_initial_sync() {
  connection_->unsubscribe(sync_topic_);
  const std::lock_guard<std::mutex> lock(sync_mutex_);
  synced_ = true;
  synced_changed_.notify_all();
}

void MqttBridge::on_message(std::string_view topic, std::string_view payload, bool retained) {
  if (topic == sync_topic_) {
    end_initial_sync();
    return;
  }
  received_.fetch_add(1, std::memory_order_relaxed);
  MessageResult result;
  {
    const std::lock_guard<std::mutex> lock(router_mutex_);
    result = router_.on_message(topic, payload, retained);
  }
  apply(result, topic, retained);
  hold_if_wanted(topic, payload, retained);
  if (wanted_by_lua(topic)) post("message", std::string(topic), std::string(payload), retained);
}

void MqttBridge::apply(const MessageResult& result, std::string_view topic, bool retained) {
  if (result.problem) dropped_.fetch_add(1, std::memory_order_relaxed);
  if (result.problem && problem_topics_.insert(std::string(topic)).second) {
    log("warn", "mqtt: " + std::string(topic) + ": " + *result.problem + " (said once for this topic)");
  }
  for (const DiscoveredDevice& found : result.discovered) {
    const json spec = {{"id", to_json(found.spec.id)}, {"name", found.spec.name}, {"type", found.spec.type}};
    {
      const std::lock_guard<std::mutex> lock(sync_mutex_);
      discovered_.push_back(spec);
    }
    post("device", spec.dump());
  }
  for (const std::string& filter : result.subscribe) connection_->subscribe(filter);
  for (const Publish& message : result.publish) send(message);
  post_reports(result.reports, retained);
}

// All reports of one message travel as one bus message. A batch the bus refused (the
// engine could not keep up for a second) is a dropped payload: the device's state is
// lost until it reports again.
void MqttBridge::post_reports(const std::vector<Report>& reports, bool retained) {
  DeviceReportBatch batch;
  for (const Report& report : reports) {
    if (report.event_only) {
      // A retained button press is history, not a press.
      if (!retained) batch.emit(report.device, report.property, report.value);
    } else if (retained && first_session_) {
      batch.restore(report.device, report.property, report.value);
    } else {
      batch.report(report.device, report.property, report.value);
    }
  }
  if (!reporter_.post(std::move(batch), kPostTimeoutMs)) dropped_.fetch_add(1, std::memory_order_relaxed);
}

void MqttBridge::report_available(const std::vector<DeviceId>& devices, bool available) {
  DeviceReportBatch batch;
  for (const DeviceId& device : devices) batch.report(device, "available", available);
  reporter_.post(std::move(batch), kPostTimeoutMs);
}

// Network thread: keeps a retained message of a `hold` filter that arrives before the
// initial sync ends (later ones reach Lua as ordinary messages only).
void MqttBridge::hold_if_wanted(std::string_view topic, std::string_view payload, bool retained) {
  if (!retained || !first_session_ || config_.hold.empty()) return;
  const bool wanted = std::any_of(config_.hold.begin(), config_.hold.end(),
                                  [&](const std::string& filter) { return topic_matches(filter, topic); });
  if (!wanted) return;
  const std::lock_guard<std::mutex> lock(sync_mutex_);
  if (!synced_) held_[std::string(topic)] = std::string(payload);
}

bool MqttBridge::wanted_by_lua(std::string_view topic) {
  const std::lock_guard<std::mutex> lock(filters_mutex_);
  for (const std::string& filter : lua_filters_) {
    if (topic_matches(filter, topic)) return true;
  }
  return false;
}

void MqttBridge::post(luasys::StaticText kind, luasys::Value a, luasys::Value b, luasys::Value c) {
  luasys::Message message;
  message.id = kBusMessage;
  message.args = {kind, std::move(a), std::move(b), std::move(c)};
  message.argc = 4;
  bus_.post(std::move(message), kPostTimeoutMs);
}

void MqttBridge::log(luasys::StaticText level, std::string text) { post("log", level, std::move(text)); }

// The loop thread must never wait for room on the bus it drains itself.
void MqttBridge::log_from_loop(luasys::StaticText level, std::string text) {
  luasys::Message message;
  message.id = kBusMessage;
  message.args = {luasys::StaticText{"log"}, level, std::move(text), {}};
  message.argc = 3;
  bus_.try_post(std::move(message));
}

}  // namespace er::mqtt
