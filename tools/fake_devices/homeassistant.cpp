#include "homeassistant.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>

namespace er::fake_devices {
namespace {

const char* component_of(HaKind kind) {
  switch (kind) {
    case HaKind::light:
      return "light";
    case HaKind::switch_:
      return "switch";
    case HaKind::sensor:
      return "sensor";
  }
  return "sensor";
}

/// The `~` of an entity's config: the start of all its topics.
std::string base_of(const std::string& object_id) {
  return "fake-devices/" + object_id;
}

/// The keys every config has: names, availability, device and origin.
OrderedJson common_config(const std::string& object_id, HaKind kind) {
  const std::string unique_id = "fake-devices-" + object_id;
  return {{"~", base_of(object_id)},
          {"name", object_id},
          {"uniq_id", unique_id},
          {"obj_id", object_id},
          {"avty_t", "~/status"},
          {"pl_avail", "online"},
          {"pl_not_avail", "offline"},
          {"qos", 1},
          {"dev",
           {{"ids", {unique_id}},
            {"name", object_id},
            {"mf", "EventRunner"},
            {"mdl", std::string("fake-devices ") + component_of(kind)},
            {"sw", "1.0"}}},
          {"o", {{"name", "fake-devices"}, {"sw", "1.0"}}}};
}

std::optional<int> number_in(const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// A script value as the payload of a command topic ("ON", true, 128 -> "128").
std::string payload_of(const nlohmann::json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "ON" : "OFF";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

HomeAssistant::HomeAssistant(const BrokerAddress& broker, HaOptions options,
                             const std::vector<std::pair<std::string, HaKind>>& entities)
    : options_(std::move(options)) {
  for (const auto& [object_id, kind] : entities) {
    auto entity = std::make_unique<Entity>();
    entity->object_id = object_id;
    entity->kind = kind;
    if (kind == HaKind::sensor) entity->readings = {{"temperature", 21.5}, {"humidity", 48}};
    const std::string client_id = "fake-devices-" + object_id + "-" + std::to_string(getpid());
    entity->connection = std::make_unique<Connection>(
        broker, client_id, Will{base_of(object_id) + "/status", "offline"});
    Entity* self = entity.get();
    entity->connection->set_handlers(
        [this, self] { on_connected(*self); },
        [this, self](const std::string& topic, const std::string& payload) {
          on_message(*self, topic, payload);
        });
    entities_.push_back(std::move(entity));
  }
}

std::vector<Connection*> HomeAssistant::connections() {
  std::vector<Connection*> all;
  for (const auto& entity : entities_) all.push_back(entity->connection.get());
  return all;
}

bool HomeAssistant::has(const std::string& object_id) const {
  return std::any_of(entities_.begin(), entities_.end(),
                     [&](const auto& entity) { return entity->object_id == object_id; });
}

HomeAssistant::Entity* HomeAssistant::find(const std::string& object_id) {
  for (const auto& entity : entities_) {
    if (entity->object_id == object_id) return entity.get();
  }
  return nullptr;
}

std::string HomeAssistant::change(const std::string& object_id, const nlohmann::json& values) {
  std::lock_guard lock(mutex_);
  Entity* entity = find(object_id);
  if (entity == nullptr) return "no Home Assistant entity '" + object_id + "'";
  if (entity->kind == HaKind::sensor) {
    for (const auto& [key, value] : values.items()) entity->readings[key] = value;
    publish_state(*entity);
    return "";
  }
  for (const auto& [key, value] : values.items()) {
    const std::optional<int> level = number_in(payload_of(value));
    if (key == "state") {
      set_on(*entity, payload_of(value));
    } else if (key == "brightness" && entity->kind == HaKind::light && level) {
      set_brightness(*entity, *level);
    } else {
      return "Home Assistant entity '" + object_id + "' has no '" + key + "' like that";
    }
  }
  return "";
}

std::string HomeAssistant::set_online(const std::string& object_id, bool online) {
  Connection* connection = nullptr;
  {
    std::lock_guard lock(mutex_);
    Entity* entity = find(object_id);
    if (entity == nullptr) return "no Home Assistant entity '" + object_id + "'";
    connection = entity->connection.get();
  }
  // Outside the lock: drop() waits for the network thread, which may wait for the lock.
  online ? connection->resume() : connection->drop();
  return "";
}

void HomeAssistant::shut_down() {
  std::lock_guard lock(mutex_);
  for (const auto& entity : entities_) {
    entity->connection->publish(base_of(entity->object_id) + "/status", "offline", true);
  }
}

void HomeAssistant::on_connected(Entity& entity) {
  std::lock_guard lock(mutex_);
  const std::string base = base_of(entity.object_id);
  Connection& connection = *entity.connection;
  connection.publish(base + "/status", "online", true);
  publish_config(entity);
  publish_state(entity);
  connection.subscribe(options_.prefix + "/status");
  if (entity.kind != HaKind::sensor) connection.subscribe(base + "/set");
  if (entity.kind == HaKind::light) connection.subscribe(base + "/brightness/set");
}

void HomeAssistant::on_message(Entity& entity, const std::string& topic,
                               const std::string& payload) {
  std::lock_guard lock(mutex_);
  const std::string base = base_of(entity.object_id);
  if (topic == options_.prefix + "/status") {
    // Home Assistant (re)started and asks for the configs again (its birth message).
    if (payload == "online") publish_config(entity);
  } else if (topic == base + "/set") {
    set_on(entity, payload);
  } else if (topic == base + "/brightness/set") {
    if (const std::optional<int> level = number_in(payload)) set_brightness(entity, *level);
  }
}

void HomeAssistant::set_on(Entity& entity, const std::string& payload) {
  if (payload != "ON" && payload != "OFF") return;  // Not pl_on or pl_off: ignored.
  entity.on = payload == "ON";
  publish_state(entity);
}

void HomeAssistant::set_brightness(Entity& entity, int brightness) {
  // Brightness 0 is off; any other level switches the light on at that level.
  entity.on = brightness > 0;
  if (brightness > 0) entity.brightness = std::min(brightness, 255);
  publish_state(entity);
}

void HomeAssistant::publish_config(Entity& entity) {
  const std::string topic =
      options_.prefix + "/" + component_of(entity.kind) + "/" + entity.object_id + "/config";
  entity.connection->publish(topic, config_of(entity).dump(), true);
}

void HomeAssistant::publish_state(Entity& entity) {
  const std::string base = base_of(entity.object_id);
  Connection& connection = *entity.connection;
  if (entity.kind == HaKind::sensor) {
    connection.publish(base + "/state", entity.readings.dump(), true);
    return;
  }
  connection.publish(base + "/state", entity.on ? "ON" : "OFF", true);
  if (entity.kind == HaKind::light) {
    connection.publish(base + "/brightness", std::to_string(entity.brightness), true);
  }
}

OrderedJson HomeAssistant::config_of(const Entity& entity) const {
  OrderedJson config = common_config(entity.object_id, entity.kind);
  config["stat_t"] = "~/state";
  if (entity.kind == HaKind::sensor) {
    config["val_tpl"] = "{{ value_json.temperature }}";
    config["json_attr_t"] = "~/state";
    config["unit_of_meas"] = "°C";
    config["dev_cla"] = "temperature";
    config["stat_cla"] = "measurement";
    return config;
  }
  config["cmd_t"] = "~/set";
  config["pl_on"] = "ON";
  config["pl_off"] = "OFF";
  if (entity.kind == HaKind::switch_) config["dev_cla"] = "outlet";
  if (entity.kind == HaKind::light) {
    config["bri_stat_t"] = "~/brightness";
    config["bri_cmd_t"] = "~/brightness/set";
    config["bri_scl"] = 255;
  }
  return config;
}

}  // namespace er::fake_devices
