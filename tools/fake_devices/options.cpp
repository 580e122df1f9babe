#include "options.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <optional>

namespace er::fake_devices {
namespace {

constexpr const char* kUsage =
    R"(usage: fake-devices --broker mqtt://HOST[:PORT] [options] DEVICES...

Devices that speak the real protocols on a real MQTT broker: they publish their
states as the real ones do and answer the commands they get.

Connection:
  --broker URL              the broker, mqtt://HOST[:PORT] (port 1883 by default)
  --username NAME           log in as NAME; the password is the first line of
  --password-file FILE      FILE, or else $MQTT_PASSWORD (never an argument)
  --connect-timeout S       give up when the devices are not connected within S
                            seconds (default 10)

Devices (each option may be repeated):
  --z2m NAME=KIND           a Zigbee2MQTT device with friendly name NAME; KIND is one
                            of motion, contact, light, dimmer, plug, button,
                            temperature, cover
  --z2m-base TOPIC          Zigbee2MQTT's base topic (default zigbee2mqtt)
  --z2m-no-retain           device states not retained (Zigbee2MQTT's own default;
                            fake-devices retains them unless told so)
  --tasmota TOPIC=KIND      a Tasmota device with topic TOPIC; KIND is plug, dimmer
                            or sensor (an AM2301)
  --tasmota-full-topic FT   Tasmota's FullTopic (default %prefix%/%topic%/)
  --tele-period S           Tasmota's TelePeriod in seconds (default 300; 0 for
                            none; shorter than Tasmota's 10 s minimum for tests)
  --ha-light ID             a Home Assistant discovery light (brightness topics)
  --ha-switch ID            a Home Assistant discovery switch
  --ha-sensor ID            a Home Assistant discovery temperature sensor (JSON state)
  --ha-prefix TOPIC         the discovery prefix (default homeassistant)

Commands, from --script FILE or else stdin, one per line:
  set z2m|tasmota|ha NAME KEY=VALUE...   the device changes by itself (a reading, a
                                         button pressed); VALUE is JSON or a word
  sensor NAME JSON                       new readings of device NAME
  pub TOPIC PAYLOAD [retain]             a raw publish
  offline z2m|tasmota|ha [NAME]          the device (no NAME: the Zigbee2MQTT
  online z2m|tasmota|ha [NAME]           bridge) goes away, or comes back
  wait MS                                pause the commands
  exit                                   stop as SIGTERM does
  e.g.  set z2m hall/motion occupancy=true
        set tasmota coffee POWER=OFF
        sensor garden/weather {"temperature": 12.5}

Output: "fake-devices: ready" once every device is connected and its retained state
is with the broker, then "fake-devices: TOPIC <- PAYLOAD" for each message published
and "fake-devices: TOPIC -> PAYLOAD" for each message received. SIGINT and SIGTERM
end it cleanly: the devices publish their offline states first. Exit status: 0, 1
when the broker cannot be reached, 2 for a wrong command line.
)";

std::optional<int> whole_number(const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

/// mqtt://HOST[:PORT] into `broker`; the problem, or empty.
std::string parse_url(const std::string& url, BrokerAddress& broker) {
  constexpr std::string_view kScheme = "mqtt://";
  if (!url.starts_with(kScheme)) return "--broker takes mqtt://HOST[:PORT], not '" + url + "'";
  const std::string address = url.substr(kScheme.size());
  const std::size_t colon = address.rfind(':');
  broker.host = address.substr(0, colon);
  if (colon != std::string::npos) {
    const std::optional<int> port = whole_number(address.substr(colon + 1));
    if (!port || *port == 0 || *port > 65535) return "bad port in '" + url + "'";
    broker.port = *port;
  }
  return broker.host.empty() ? "no host in '" + url + "'" : "";
}

/// NAME and KIND of NAME=KIND; false when there is no '=' or NAME is not a topic level.
bool split_device(const std::string& text, std::string& name, std::string& kind) {
  const std::size_t equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0) return false;
  name = text.substr(0, equals);
  kind = text.substr(equals + 1);
  return name.find_first_of("+#") == std::string::npos;
}

template <class Kind, class Named>
std::string add_device(const std::string& flag, const std::string& value, Named named,
                       const char* kinds, std::vector<std::pair<std::string, Kind>>& devices) {
  std::string name;
  std::string kind_name;
  if (!split_device(value, name, kind_name)) return flag + " takes NAME=KIND, not '" + value + "'";
  const std::optional<Kind> kind = named(kind_name);
  if (!kind) return "unknown kind '" + kind_name + "' for " + flag + " (" + kinds + ")";
  devices.emplace_back(name, *kind);
  return "";
}

std::string add_entity(const std::string& value, HaKind kind, Options& options) {
  if (value.empty() || value.find_first_of("+#/ ") != std::string::npos) {
    return "a Home Assistant object id is one topic level, not '" + value + "'";
  }
  options.ha_entities.emplace_back(value, kind);
  return "";
}

std::string apply_device_option(const std::string& flag, const std::string& value,
                                Options& options) {
  if (flag == "--z2m")
    return add_device(flag, value, z2m_kind_named, kZ2mKindNames, options.z2m_devices);
  if (flag == "--tasmota") {
    return add_device(flag, value, tasmota_kind_named, kTasmotaKindNames, options.tasmota_devices);
  }
  if (flag == "--ha-light") return add_entity(value, HaKind::light, options);
  if (flag == "--ha-switch") return add_entity(value, HaKind::switch_, options);
  if (flag == "--ha-sensor") return add_entity(value, HaKind::sensor, options);
  if (flag == "--z2m-base") {
    options.z2m.base = value;
  } else if (flag == "--tasmota-full-topic") {
    options.tasmota.full_topic = value;
  } else if (flag == "--ha-prefix") {
    options.ha.prefix = value;
  } else if (flag == "--tele-period") {
    const std::optional<int> seconds = whole_number(value);
    if (!seconds) return "--tele-period takes seconds, not '" + value + "'";
    options.tasmota.tele_period_s = *seconds;
  } else {
    return "unknown option " + flag;
  }
  return "";
}

/// Applies one option with a value; `password_file` collects --password-file.
std::string apply_option(const std::string& flag, const std::string& value, Options& options,
                         std::string& password_file) {
  if (flag == "--broker") return parse_url(value, options.broker);
  if (flag == "--username") {
    options.broker.username = value;
  } else if (flag == "--password-file") {
    password_file = value;
  } else if (flag == "--connect-timeout") {
    const std::optional<int> seconds = whole_number(value);
    if (!seconds || *seconds == 0) return "--connect-timeout takes seconds, not '" + value + "'";
    options.connect_timeout_s = *seconds;
  } else if (flag == "--script") {
    options.script = value;
  } else {
    return apply_device_option(flag, value, options);
  }
  return "";
}

/// The password: the first line of `password_file`, or else $MQTT_PASSWORD.
std::string read_password(const std::string& password_file, std::string& password) {
  if (password_file.empty()) {
    const char* from_environment = std::getenv("MQTT_PASSWORD");
    password = from_environment != nullptr ? from_environment : "";
    return "";
  }
  std::ifstream file(password_file);
  if (!file) return "cannot read the password file " + password_file;
  std::getline(file, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return "";
}

}  // namespace

const char* usage() {
  return kUsage;
}

std::string parse_options(int argc, char** argv, Options& options) {
  std::string password_file;
  bool have_broker = false;
  for (int index = 1; index < argc; ++index) {
    const std::string flag = argv[index];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      return "";
    }
    if (flag == "--password") {
      return "there is no --password (every user could read it): use --password-file FILE "
             "or $MQTT_PASSWORD";
    }
    if (flag == "--z2m-no-retain") {
      options.z2m.retain_state = false;
      continue;
    }
    if (index + 1 >= argc) return flag + " needs a value";
    const std::string problem = apply_option(flag, argv[++index], options, password_file);
    if (!problem.empty()) return problem;
    have_broker = have_broker || flag == "--broker";
  }
  if (!have_broker) return "--broker is required";
  return read_password(password_file, options.broker.password);
}

}  // namespace er::fake_devices
