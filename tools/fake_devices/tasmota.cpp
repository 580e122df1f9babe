#include "tasmota.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

#include "output.h"

namespace er::fake_devices {
namespace {

constexpr const char* kGroupTopic = "tasmotas";
constexpr int kDimmerStep = 10;  // Dimmer + and - (Tasmota's DimmerStep default).

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string replaced(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// Tasmota's "Time": local time without a zone.
std::string local_time() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
  return text;
}

/// Tasmota's "Uptime": days, then T and the time of day ("0T00:05:00").
std::string uptime_text(long seconds) {
  char text[48];
  std::snprintf(text, sizeof text, "%ldT%02ld:%02ld:%02ld", seconds / 86400, seconds / 3600 % 24,
                seconds / 60 % 60, seconds % 60);
  return text;
}

double one_decimal(double value) {
  return std::round(value * 10) / 10;
}

/// The dew point from temperature and relative humidity (Magnus formula), as the
/// AM2301 driver reports it.
double dew_point(double celsius, double humidity) {
  const double gamma =
      std::log(std::max(humidity, 1.0) / 100) + 17.62 * celsius / (243.12 + celsius);
  return 243.12 * gamma / (17.62 - gamma);
}

/// A whole number in `text`, or nullopt.
std::optional<int> number_in(const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// What a POWER payload asks for.
enum class PowerWanted { on, off, toggle, query, invalid };

PowerWanted power_wanted(const std::string& payload) {
  const std::string word = upper(payload);
  if (word == "ON" || word == "1" || word == "TRUE") return PowerWanted::on;
  if (word == "OFF" || word == "0" || word == "FALSE") return PowerWanted::off;
  if (word == "TOGGLE" || word == "2") return PowerWanted::toggle;
  return word.empty() ? PowerWanted::query : PowerWanted::invalid;
}

const char* module_of(TasmotaKind kind) {
  switch (kind) {
    case TasmotaKind::plug:
      return "Sonoff S26";
    case TasmotaKind::dimmer:
      return "PWM Dimmer";
    case TasmotaKind::sensor:
      return "Sonoff TH";
  }
  return "Generic";
}

}  // namespace

std::optional<TasmotaKind> tasmota_kind_named(std::string_view name) {
  if (name == "plug") return TasmotaKind::plug;
  if (name == "dimmer") return TasmotaKind::dimmer;
  if (name == "sensor") return TasmotaKind::sensor;
  return std::nullopt;
}

Tasmota::Tasmota(const BrokerAddress& broker, TasmotaOptions options,
                 const std::vector<std::pair<std::string, TasmotaKind>>& devices)
    : options_(std::move(options)) {
  if (!options_.full_topic.ends_with('/')) options_.full_topic += '/';
  for (const auto& [topic, kind] : devices) {
    auto device = std::make_unique<Device>();
    device->topic = topic;
    device->kind = kind;
    device->tele_period_s = options_.tele_period_s;
    // Tasmota's client id is DVES_ and the end of the chip's MAC address.
    device->client_id = "DVES_" + upper(hex_tag(topic + std::to_string(getpid()), 6));
    device->connection = std::make_unique<Connection>(
        broker, device->client_id, Will{topic_of("tele", topic, "LWT"), "Offline"});
    Device* self = device.get();
    device->connection->set_handlers(
        [this, self] { on_connected(*self); },
        [this, self](const std::string& topic_name, const std::string& payload) {
          on_message(*self, topic_name, payload);
        });
    devices_.push_back(std::move(device));
  }
}

std::vector<Connection*> Tasmota::connections() {
  std::vector<Connection*> all;
  for (const auto& device : devices_) all.push_back(device->connection.get());
  return all;
}

bool Tasmota::has(const std::string& topic) const {
  return std::any_of(devices_.begin(), devices_.end(),
                     [&](const auto& device) { return device->topic == topic; });
}

Tasmota::Device* Tasmota::find(const std::string& topic) {
  for (const auto& device : devices_) {
    if (device->topic == topic) return device.get();
  }
  return nullptr;
}

std::string Tasmota::change(const std::string& topic, const nlohmann::json& values) {
  std::lock_guard lock(mutex_);
  Device* device = find(topic);
  if (device == nullptr) return "no Tasmota device '" + topic + "'";
  bool readings = false;
  for (const auto& [key, value] : values.items()) {
    const std::string name = upper(key);
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (name == "POWER" && device->kind != TasmotaKind::sensor) {
      power_command(*device, text);  // The button on the device does what POWER does.
    } else if (name == "DIMMER" && device->kind == TasmotaKind::dimmer) {
      dimmer_command(*device, text);
    } else if ((name == "TEMPERATURE" || name == "HUMIDITY") && value.is_number() &&
               device->kind == TasmotaKind::sensor) {
      (name == "TEMPERATURE" ? device->temperature : device->humidity) = value.get<double>();
      readings = true;
    } else {
      return "Tasmota device '" + topic + "' has no '" + key + "'";
    }
  }
  if (readings) {
    device->connection->publish(topic_of("tele", topic, "SENSOR"), sensor_of(*device).dump(),
                                false);
  }
  return "";
}

std::string Tasmota::set_online(const std::string& topic, bool online) {
  Connection* connection = nullptr;
  {
    std::lock_guard lock(mutex_);
    Device* device = find(topic);
    if (device == nullptr) return "no Tasmota device '" + topic + "'";
    connection = device->connection.get();
  }
  // Outside the lock: drop() waits for the network thread, which may wait for the lock.
  online ? connection->resume() : connection->drop();
  return "";
}

void Tasmota::tick(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (const auto& device : devices_) {
    if (device->tele_period_s == 0 || now < device->next_telemetry) continue;
    publish_telemetry(*device);
  }
}

void Tasmota::shut_down() {
  std::lock_guard lock(mutex_);
  // A restarting Tasmota says goodbye itself; the will is for lost connections.
  for (const auto& device : devices_) {
    device->connection->publish(topic_of("tele", device->topic, "LWT"), "Offline", true);
  }
}

void Tasmota::on_connected(Device& device) {
  std::lock_guard lock(mutex_);
  ++device.connections;
  Connection& connection = *device.connection;
  connection.publish(topic_of("tele", device.topic, "LWT"), "Online", true);
  connection.subscribe(topic_of("cmnd", device.topic, "+"));
  connection.subscribe(topic_of("cmnd", kGroupTopic, "+"));
  const OrderedJson info = {{"Info1",
                             {{"Module", module_of(device.kind)},
                              {"Version", "14.3.0(release-tasmota)"},
                              {"FallbackTopic", "cmnd/" + device.client_id + "_fb/"},
                              {"GroupTopic", topic_of("cmnd", kGroupTopic, "")}}}};
  connection.publish(topic_of("tele", device.topic, "INFO1"), info.dump(), false);
  publish_telemetry(device);
}

void Tasmota::on_message(Device& device, const std::string& topic, const std::string& payload) {
  std::lock_guard lock(mutex_);
  for (const std::string& target : {device.topic, std::string(kGroupTopic)}) {
    const std::string prefix = topic_of("cmnd", target, "");
    if (topic.starts_with(prefix)) {
      run_command(device, topic.substr(prefix.size()), payload);
      return;
    }
  }
}

void Tasmota::run_command(Device& device, const std::string& command, const std::string& payload) {
  const std::string name = upper(command);
  const bool has_relay = device.kind != TasmotaKind::sensor;
  if ((name == "POWER" || name == "POWER1") && has_relay) {
    power_command(device, payload);
  } else if (name == "DIMMER" && device.kind == TasmotaKind::dimmer) {
    dimmer_command(device, payload);
  } else if (name == "STATUS") {
    status_command(device, payload);
  } else if (name == "TELEPERIOD") {
    tele_period_command(device, payload);
  } else if (name == "STATE") {
    publish_result(device, state_of(device));
  } else {
    publish_result(device, {{"Command", "Unknown"}});
  }
}

void Tasmota::power_command(Device& device, const std::string& payload) {
  const PowerWanted wanted = power_wanted(payload);
  if (wanted == PowerWanted::invalid) {
    publish_result(device, {{"Command", "Error"}});
    return;
  }
  bool on = device.power;  // A query reports the relay as it is.
  if (wanted != PowerWanted::query)
    on = wanted == PowerWanted::toggle ? !on : wanted == PowerWanted::on;
  OrderedJson result = {{"POWER", on ? "ON" : "OFF"}};
  if (device.kind == TasmotaKind::dimmer) result["Dimmer"] = device.dimmer;
  set_power(device, on, result, true);
}

void Tasmota::dimmer_command(Device& device, const std::string& payload) {
  int dimmer = device.dimmer;
  if (payload == "+" || payload == "-") {
    dimmer += payload == "+" ? kDimmerStep : -kDimmerStep;
  } else if (!payload.empty()) {
    const std::optional<int> number = number_in(payload);
    if (!number) {
      publish_result(device, {{"Command", "Error"}});
      return;
    }
    dimmer = *number;
  }
  device.dimmer = std::clamp(dimmer, 0, 100);
  // Dimmer 0 switches the light off; any other level switches it on.
  const bool on = payload.empty() ? device.power : device.dimmer > 0;
  set_power(device, on, {{"POWER", on ? "ON" : "OFF"}, {"Dimmer", device.dimmer}},
            on != device.power);
}

void Tasmota::status_command(Device& device, const std::string& payload) {
  const std::string& topic = device.topic;
  if ((payload == "8" || payload == "10") && device.kind == TasmotaKind::sensor) {
    device.connection->publish(topic_of("stat", topic, "STATUS10"),
                               OrderedJson{{"StatusSNS", sensor_of(device)}}.dump(), false);
  } else if (payload == "11") {
    device.connection->publish(topic_of("stat", topic, "STATUS11"),
                               OrderedJson{{"StatusSTS", state_of(device)}}.dump(), false);
  } else {
    const OrderedJson status = {{"Status",
                                 {{"Module", 1},
                                  {"DeviceName", topic},
                                  {"FriendlyName", {topic}},
                                  {"Topic", topic},
                                  {"Power", device.power ? "1" : "0"},
                                  {"PowerRetain", 0},
                                  {"SensorRetain", 0}}}};
    device.connection->publish(topic_of("stat", topic, "STATUS"), status.dump(), false);
  }
}

void Tasmota::tele_period_command(Device& device, const std::string& payload) {
  if (!payload.empty()) {
    const std::optional<int> period = number_in(payload);
    if (!period || *period < 0) {
      publish_result(device, {{"Command", "Error"}});
      return;
    }
    // 1 restores the default; otherwise 10 to 3600 seconds, 0 for none.
    device.tele_period_s = *period == 1 ? 300 : (*period == 0 ? 0 : std::clamp(*period, 10, 3600));
  }
  publish_result(device, {{"TelePeriod", device.tele_period_s}});
  if (!payload.empty()) publish_telemetry(device);  // A new period reports at once.
}

void Tasmota::set_power(Device& device, bool on, const OrderedJson& result, bool report_power) {
  device.power = on;
  publish_result(device, result);
  if (report_power) {
    device.connection->publish(topic_of("stat", device.topic, "POWER"), on ? "ON" : "OFF", false);
  }
}

void Tasmota::publish_result(Device& device, const OrderedJson& result) {
  device.connection->publish(topic_of("stat", device.topic, "RESULT"), result.dump(), false);
}

void Tasmota::publish_telemetry(Device& device) {
  device.next_telemetry = Clock::now() + std::chrono::seconds(device.tele_period_s);
  device.connection->publish(topic_of("tele", device.topic, "STATE"), state_of(device).dump(),
                             false);
  if (device.kind == TasmotaKind::sensor) {
    device.connection->publish(topic_of("tele", device.topic, "SENSOR"), sensor_of(device).dump(),
                               false);
  }
}

OrderedJson Tasmota::state_of(const Device& device) const {
  const long uptime =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count();
  OrderedJson state = {{"Time", local_time()},   {"Uptime", uptime_text(uptime)},
                       {"UptimeSec", uptime},    {"Heap", 26},
                       {"SleepMode", "Dynamic"}, {"Sleep", 50},
                       {"LoadAvg", 19},          {"MqttCount", device.connections}};
  if (device.kind != TasmotaKind::sensor) state["POWER"] = device.power ? "ON" : "OFF";
  if (device.kind == TasmotaKind::dimmer) state["Dimmer"] = device.dimmer;
  state["Wifi"] = {
      {"AP", 1},    {"SSId", "fake-devices"}, {"Channel", 6},   {"Mode", "11n"},
      {"RSSI", 80}, {"Signal", -60},          {"LinkCount", 1}, {"Downtime", "0T00:00:03"}};
  return state;
}

OrderedJson Tasmota::sensor_of(const Device& device) const {
  const OrderedJson reading = {
      {"Temperature", one_decimal(device.temperature)},
      {"Humidity", one_decimal(device.humidity)},
      {"DewPoint", one_decimal(dew_point(device.temperature, device.humidity))}};
  return {{"Time", local_time()}, {"AM2301", reading}, {"TempUnit", "C"}};
}

std::string Tasmota::topic_of(const char* prefix, const std::string& device_topic,
                              const std::string& command) const {
  return replaced(replaced(options_.full_topic, "%prefix%", prefix), "%topic%", device_topic) +
         command;
}

}  // namespace er::fake_devices
