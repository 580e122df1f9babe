#include "z2m_models.h"

#include <array>
#include <vector>

#include "family.h"

namespace er::fake_devices {
namespace {

// Zigbee2MQTT's access bits of an expose: the value is published in the state, can be
// set with /set, and can be read with /get.
constexpr int kPublished = 1;
constexpr int kSettable = 2;
constexpr int kGettable = 4;
constexpr int kAll = kPublished | kSettable | kGettable;

/// The product a kind plays. Keep in the order of Z2mKind.
struct Model {
  Z2mKind kind;
  const char* name;          ///< The kind's name on the command line.
  const char* model;         ///< definition.model
  const char* vendor;        ///< definition.vendor
  const char* description;   ///< definition.description
  const char* model_id;      ///< The Zigbee modelID the device reports.
  const char* manufacturer;  ///< The Zigbee manufacturerName.
  const char* ieee_prefix;   ///< The vendor's first address bytes.
  bool battery;              ///< Battery end device; else a mains-powered router.
  std::vector<const char*> input_clusters;
};

const std::array<Model, 8>& models() {
  // clang-format off
  static const std::array<Model, 8> kModels = {{
      {Z2mKind::motion, "motion", "RTCGQ11LM", "Aqara", "Motion sensor",
       "lumi.sensor_motion.aq2", "LUMI", "00158d00", true,
       {"genBasic", "msOccupancySensing", "msIlluminanceMeasurement"}},
      {Z2mKind::contact, "contact", "MCCGQ11LM", "Aqara", "Door and window sensor",
       "lumi.sensor_magnet.aq2", "LUMI", "00158d00", true,
       {"genBasic", "genOnOff"}},
      {Z2mKind::light, "light", "LED1545G12", "IKEA",
       "TRADFRI bulb E26/E27, white spectrum, globe, opal, 980 lm",
       "TRADFRI bulb E27 WS opal 980lm", "IKEA of Sweden", "000b57ff", false,
       {"genBasic", "genIdentify", "genGroups", "genScenes", "genOnOff", "genLevelCtrl",
        "lightingColorCtrl"}},
      {Z2mKind::dimmer, "dimmer", "ICPSHC24-10EU-IL-1", "IKEA",
       "TRADFRI driver for wireless control (10 W)",
       "TRADFRI transformer 10W", "IKEA of Sweden", "000b57ff", false,
       {"genBasic", "genIdentify", "genGroups", "genScenes", "genOnOff", "genLevelCtrl"}},
      {Z2mKind::plug, "plug", "SP 120", "Innr", "Smart plug",
       "SP 120", "innr", "000d6f00", false,
       {"genBasic", "genIdentify", "genGroups", "genScenes", "genOnOff", "seMetering",
        "haElectricalMeasurement"}},
      {Z2mKind::button, "button", "WXKG11LM", "Aqara", "Wireless mini switch",
       "lumi.sensor_switch.aq2", "LUMI", "00158d00", true,
       {"genBasic", "genOnOff", "genMultistateInput"}},
      {Z2mKind::temperature, "temperature", "WSDCGQ11LM", "Aqara",
       "Temperature, humidity and pressure sensor",
       "lumi.weather", "LUMI", "00158d00", true,
       {"genBasic", "msTemperatureMeasurement", "msRelativeHumidity", "msPressureMeasurement"}},
      {Z2mKind::cover, "cover", "E1757", "IKEA", "FYRTUR roller blind, block-out",
       "FYRTUR block-out roller blind", "IKEA of Sweden", "000b57ff", true,
       {"genBasic", "genPowerCfg", "genIdentify", "genGroups", "genScenes",
        "closuresWindowCovering"}},
  }};
  // clang-format on
  return kModels;
}

const Model& model_of(Z2mKind kind) {
  return models()[static_cast<std::size_t>(kind)];
}

OrderedJson base_expose(const char* type, const char* name, const char* label, int access,
                        const char* description) {
  return {{"type", type},     {"name", name},     {"label", label},
          {"property", name}, {"access", access}, {"description", description}};
}

OrderedJson binary(const char* name, const char* label, int access, OrderedJson on, OrderedJson off,
                   const char* description) {
  OrderedJson expose = base_expose("binary", name, label, access, description);
  expose["value_on"] = std::move(on);
  expose["value_off"] = std::move(off);
  return expose;
}

OrderedJson numeric(const char* name, const char* label, int access, const char* unit, int min,
                    int max, const char* description) {
  OrderedJson expose = base_expose("numeric", name, label, access, description);
  if (unit != nullptr) expose["unit"] = unit;
  if (min < max) {
    expose["value_min"] = min;
    expose["value_max"] = max;
  }
  return expose;
}

OrderedJson enumeration(const char* name, const char* label, int access, OrderedJson values,
                        const char* description) {
  OrderedJson expose = base_expose("enum", name, label, access, description);
  expose["values"] = std::move(values);
  return expose;
}

OrderedJson diagnostic(OrderedJson expose) {
  expose["category"] = "diagnostic";
  return expose;
}

OrderedJson on_off_state(const char* description) {
  OrderedJson state = binary("state", "State", kAll, "ON", "OFF", description);
  state["value_toggle"] = "TOGGLE";
  return state;
}

OrderedJson brightness() {
  return numeric("brightness", "Brightness", kAll, nullptr, 0, 254, "Brightness of this light");
}

OrderedJson composite(const char* type, OrderedJson features) {
  return {{"type", type}, {"features", std::move(features)}};
}

OrderedJson linkquality() {
  return diagnostic(numeric("linkquality", "Linkquality", kPublished, "lqi", 0, 255,
                            "Link quality (signal strength)"));
}

/// The exposes of a battery device end with these.
void add_battery(OrderedJson& exposes) {
  exposes.push_back(
      diagnostic(numeric("battery", "Battery", kPublished, "%", 0, 100,
                         "Remaining battery in %, can take up to 24 hours before reported")));
  exposes.push_back(diagnostic(numeric("voltage", "Voltage", kPublished, "mV", 0, 0,
                                       "Voltage of the battery in millivolts")));
}

OrderedJson sensor_exposes(Z2mKind kind) {
  OrderedJson exposes = OrderedJson::array();
  if (kind == Z2mKind::motion) {
    exposes.push_back(binary("occupancy", "Occupancy", kPublished, true, false,
                             "Indicates whether the device detected occupancy"));
    exposes.push_back(
        numeric("illuminance", "Illuminance", kPublished, "lx", 0, 0, "Measured illuminance"));
  } else if (kind == Z2mKind::contact) {
    // Zigbee2MQTT's contact is true when closed: its "on" value is false (open).
    exposes.push_back(binary("contact", "Contact", kPublished, false, true,
                             "Indicates if the contact is closed (= true) or open (= false)"));
  } else if (kind == Z2mKind::button) {
    exposes.push_back(enumeration("action", "Action", kPublished,
                                  {"single", "double", "triple", "quadruple", "hold", "release"},
                                  "Triggered action (e.g. a button click)"));
  } else {
    exposes.push_back(numeric("temperature", "Temperature", kPublished, "°C", 0, 0,
                              "Measured temperature value"));
    exposes.push_back(
        numeric("humidity", "Humidity", kPublished, "%", 0, 0, "Measured relative humidity"));
    exposes.push_back(numeric("pressure", "Pressure", kPublished, "hPa", 0, 0,
                              "The measured atmospheric pressure"));
  }
  return exposes;
}

OrderedJson actuator_exposes(Z2mKind kind) {
  OrderedJson exposes = OrderedJson::array();
  if (kind == Z2mKind::light) {
    exposes.push_back(composite("light", {on_off_state("On/off state of this light"), brightness(),
                                          numeric("color_temp", "Color temp", kAll, "mired", 250,
                                                  454, "Color temperature of this light")}));
  } else if (kind == Z2mKind::dimmer) {
    exposes.push_back(
        composite("light", {on_off_state("On/off state of this light"), brightness()}));
  } else if (kind == Z2mKind::plug) {
    exposes.push_back(composite("switch", {on_off_state("On/off state of the switch")}));
    const int measured = kPublished | kGettable;
    exposes.push_back(
        numeric("power", "Power", measured, "W", 0, 0, "Instantaneous measured power"));
    exposes.push_back(numeric("energy", "Energy", measured, "kWh", 0, 0, "Sum of consumed energy"));
    exposes.push_back(
        numeric("voltage", "Voltage", measured, "V", 0, 0, "Measured electrical potential value"));
    exposes.push_back(numeric("current", "Current", measured, "A", 0, 0,
                              "Instantaneous measured electrical current"));
  } else {
    exposes.push_back(composite(
        "cover", {enumeration("state", "State", kPublished | kSettable, {"OPEN", "CLOSE", "STOP"},
                              "State of this cover"),
                  numeric("position", "Position", kAll, "%", 0, 100, "Position of this cover")}));
  }
  return exposes;
}

OrderedJson exposes_of(Z2mKind kind) {
  const bool actuator = kind == Z2mKind::light || kind == Z2mKind::dimmer ||
                        kind == Z2mKind::plug || kind == Z2mKind::cover;
  OrderedJson exposes = actuator ? actuator_exposes(kind) : sensor_exposes(kind);
  if (model_of(kind).battery) add_battery(exposes);
  exposes.push_back(linkquality());
  return exposes;
}

OrderedJson endpoints(const std::vector<const char*>& input_clusters) {
  OrderedJson endpoint = {{"bindings", OrderedJson::array()},
                          {"configured_reportings", OrderedJson::array()},
                          {"clusters", {{"input", input_clusters}, {"output", {"genOta"}}}},
                          {"scenes", OrderedJson::array()}};
  return {{"1", std::move(endpoint)}};
}

/// A 16-bit network address that stays the same for a name.
int network_address_of(const std::string& name) {
  return std::stoi(hex_tag(name + "/nwk", 4), nullptr, 16) % 0xFFF0 + 1;
}

}  // namespace

std::optional<Z2mKind> z2m_kind_named(std::string_view name) {
  for (const Model& model : models()) {
    if (name == model.name) return model.kind;
  }
  return std::nullopt;
}

bool z2m_has_battery(Z2mKind kind) {
  return model_of(kind).battery;
}

OrderedJson z2m_device_entry(const std::string& friendly_name, Z2mKind kind) {
  const Model& model = model_of(kind);
  OrderedJson definition = {{"model", model.model},
                            {"vendor", model.vendor},
                            {"description", model.description},
                            {"exposes", exposes_of(kind)},
                            {"options", OrderedJson::array()},
                            {"supports_ota", !model.battery},
                            {"source", "native"}};
  return {{"ieee_address", std::string("0x") + model.ieee_prefix + hex_tag(friendly_name, 8)},
          {"type", model.battery ? "EndDevice" : "Router"},
          {"network_address", network_address_of(friendly_name)},
          {"supported", true},
          {"friendly_name", friendly_name},
          {"disabled", false},
          {"description", nullptr},
          {"definition", std::move(definition)},
          {"power_source", model.battery ? "Battery" : "Mains (single phase)"},
          {"software_build_id", model.battery ? "3000-0001" : "2.3.093"},
          {"date_code", "20230411"},
          {"model_id", model.model_id},
          {"manufacturer", model.manufacturer},
          {"interviewing", false},
          {"interview_completed", true},
          {"interview_state", "SUCCESSFUL"},
          {"endpoints", endpoints(model.input_clusters)}};
}

OrderedJson z2m_coordinator_entry(const std::string& base) {
  return {{"ieee_address", "0x00124b00" + hex_tag(base, 8)},
          {"type", "Coordinator"},
          {"network_address", 0},
          {"supported", true},
          {"friendly_name", "Coordinator"},
          {"disabled", false},
          {"description", nullptr},
          {"definition", nullptr},
          {"power_source", nullptr},
          {"interviewing", false},
          {"interview_completed", true},
          {"interview_state", "SUCCESSFUL"},
          {"endpoints", endpoints({"genBasic", "genIdentify", "genOnOff"})}};
}

OrderedJson z2m_initial_state(Z2mKind kind) {
  switch (kind) {
    case Z2mKind::motion:
      return {{"occupancy", false},
              {"illuminance", 120},
              {"battery", 100},
              {"voltage", 3025},
              {"linkquality", 120}};
    case Z2mKind::contact:
      return {{"contact", true}, {"battery", 100}, {"voltage", 3015}, {"linkquality", 120}};
    case Z2mKind::light:
      return {{"state", "OFF"}, {"brightness", 254}, {"color_temp", 370}, {"linkquality", 150}};
    case Z2mKind::dimmer:
      return {{"state", "OFF"}, {"brightness", 254}, {"linkquality", 140}};
    case Z2mKind::plug:
      return {{"state", "OFF"}, {"power", 0},   {"energy", 1.24},
              {"voltage", 230}, {"current", 0}, {"linkquality", 160}};
    case Z2mKind::button:
      return {{"battery", 100}, {"voltage", 3045}, {"linkquality", 110}};
    case Z2mKind::temperature:
      return {{"temperature", 21.5}, {"humidity", 48.2}, {"pressure", 1012},
              {"battery", 100},      {"voltage", 2995},  {"linkquality", 115}};
    case Z2mKind::cover:
      return {{"state", "OPEN"}, {"position", 100}, {"battery", 90}, {"linkquality", 130}};
  }
  return OrderedJson::object();
}

}  // namespace er::fake_devices
