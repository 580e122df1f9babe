#pragma once
// The MQTT backend of a running engine: the broker connection (connection.h), the
// device mapping (router.h), and the engine's side of both. Devices with an `mqtt`
// mapping in home.lua are defined with `backend = "mqtt"`; their actions arrive in
// perform() and leave as MQTT messages, and what their topics say comes back as
// device reports over the bus. Rules' own topics (`#mqtt` triggers, `mqtt.publish`),
// the engine's status and its published globals and rule switches go through the Lua
// module er.mqtt, which this bridge feeds with "er.mqtt" bus messages.
//
//   auto bridge = er::mqtt::MqttBridge::create(bus, config_json, devices_json, home, &error);
//   bridge->push_transport(L);   // Lua: er.devices.attach_backend("mqtt", t.send);
//                                 //      er.mqtt.attach(t, t.options)
//   bridge->start();             // connects in the background, reconnects forever
//   ...
//   bridge->stop();              // before the engine's loop and bus go away

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "adapters/mqtt/config.h"
#include "adapters/mqtt/connection.h"
#include "adapters/mqtt/router.h"
#include "core/bus.h"
#include "rules/device_backend.h"

namespace er::mqtt {

class MqttBridge final : public DeviceBackend, private ConnectionListener {
 public:
  /// A bridge for home.lua's `mqtt` table and its devices with an `mqtt` mapping
  /// ([{id, name, type, mqtt}, ...]), both as JSON. nullptr, with every problem in
  /// `*error` (one per line), when the configuration or a device mapping is wrong.
  static std::unique_ptr<MqttBridge> create(luasys::Bus& bus, std::string_view config_json,
                                            std::string_view devices_json, const std::string& home_dir,
                                            std::string* error);
  ~MqttBridge() override;
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  /// Loop thread: pushes the table er.mqtt.attach takes: publish, subscribe,
  /// unsubscribe, send (the device sender) and options. The bridge must outlive the
  /// Lua state's use of it: stop() it first, destroy it after the engine.
  void push_transport(lua_State* L);

  /// Starts the network thread (connects, reconnects with backoff).
  void start();
  /// Waits up to `limit_ms` until the broker connection is up and the retained messages
  /// of its subscriptions have arrived (a message the bridge sends itself marks their
  /// end); false at the deadline. With discovery on, the host waits here before it
  /// defines the rules, so that rules can name discovered devices.
  bool wait_initial_sync(long limit_ms);
  /// Loop thread: the devices discovery found so far, JSON [{id, name, type}, ...]
  /// (valid until the next call).
  const std::string& discovered_json();
  /// Loop thread: the retained messages of the `hold` filters that arrived before the
  /// initial sync ended, JSON {topic: payload, ...} (valid until the next call).
  const std::string& held_json();

  /// Says goodbye (`<base>/<controller>/status` = offline), disconnects and joins the network thread;
  /// nothing is posted to the bus afterwards.
  void stop();

  /// Loop thread: an action on a device of this backend.
  void perform(const DeviceAction& action) override;

  /// What the bridge counted, for the engine's metrics (docs/metrics.md). Any thread.
  struct Counters {
    bool connected = false;
    std::uint64_t messages_received = 0;  ///< From the broker (the bridge's own marker aside).
    std::uint64_t messages_sent = 0;      ///< Handed to the connection (actions, status, rules').
    std::uint64_t reconnects = 0;         ///< Connections after the first.
    std::uint64_t dropped_payloads = 0;   ///< Unreadable payloads, and reports a full bus refused.
  };
  [[nodiscard]] Counters counters() const;

  // The Lua transport's operations (loop thread).
  bool publish_from_lua(const Publish& message);
  void add_lua_filter(const std::string& filter);
  void remove_lua_filter(const std::string& filter);

 private:
  MqttBridge(luasys::Bus& bus, const MqttConfig& config);

  void on_connected() override;
  void on_connection_lost(const std::string& reason) override;
  void on_connect_failed(const std::string& reason, long retry_ms) override;
  void on_message(std::string_view topic, std::string_view payload, bool retained) override;

  void apply(const MessageResult& result, std::string_view topic, bool retained);
  void post_reports(const std::vector<Report>& reports, bool retained);
  bool send(const Publish& message);  // connection_->publish, counted.
  void end_initial_sync();
  void report_available(const std::vector<DeviceId>& devices, bool available);
  bool wanted_by_lua(std::string_view topic);
  void hold_if_wanted(std::string_view topic, std::string_view payload, bool retained);
  void post(luasys::StaticText kind, luasys::Value a = {}, luasys::Value b = {}, luasys::Value c = {});
  void log(luasys::StaticText level, std::string text);
  void log_from_loop(luasys::StaticText level, std::string text);

  luasys::Bus& bus_;
  DeviceReporter reporter_;
  MqttConfig config_;
  std::string status_topic_;
  std::mutex router_mutex_;  // The network thread maps messages, the loop thread actions.
  Router router_;
  std::mutex filters_mutex_;
  std::set<std::string> lua_filters_;
  std::unordered_set<std::string> problem_topics_;  // Network thread: logged once each.
  std::string last_failure_;                        // Network thread.
  bool first_session_ = true;  // Network thread: retained messages are the initial state.
  std::string sync_topic_;     // `<base>/sync/<client id>`: the bridge's own marker.
  std::mutex sync_mutex_;
  std::condition_variable synced_changed_;
  bool synced_ = false;
  nlohmann::json discovered_ = nlohmann::json::array();  // Under sync_mutex_.
  std::string discovered_text_;                          // Loop thread.
  nlohmann::json held_ = nlohmann::json::object();       // Under sync_mutex_.
  std::string held_text_;                                // Loop thread.
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::unique_ptr<Connection> connection_;          // Last: its thread calls the rest.
};

}  // namespace er::mqtt
