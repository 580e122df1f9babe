#pragma once
// Real devices behind the engine's device layer (spec §10.1, docs/devices.md).
//
// The engine simulates every device unless the host defines it with a backend name:
//
//   er.defineDevice{id = 55, name = "hall_lamp", type = "binarySwitch", backend = "mqtt"}
//
// Then the engine changes nothing itself when a rule or the host asks device 55 to act:
// it hands the request to the DeviceBackend attached under that name (on the loop
// thread), and the device's properties change when the backend reports them through a
// DeviceReporter (from any thread). A report travels over the LuaSys bus as the
// message "er.device" (several at once as one "er.device.batch", DeviceReportBatch)
// and is applied on the loop thread like `dev:update(p, v)`, so a changed value posts
// the usual device event.
//
//   class MqttBackend final : public er::DeviceBackend {
//     void perform(const er::DeviceAction& action) override { /* publish a command */ }
//   };
//   MqttBackend mqtt;
//   er::attach_device_backend(engine, "mqtt", mqtt);
//   er::DeviceReporter reporter(engine.runtime().bus());   // copy it to the network thread
//   reporter.report(55, "value", true);                    // the lamp says it is on

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bus.h"
#include "core/time.h"

struct lua_State;

namespace er {

class Engine;

/// A device id: an integer or a string (spec §10.1).
using DeviceId = std::variant<std::int64_t, std::string>;

/// JSON text standing for a Lua table: a color {r, g, b, w}, a button event
/// {keyId = 1, keyAttribute = "Pressed"}.
struct JsonText {
  std::string text;
  friend bool operator==(const JsonText&, const JsonText&) = default;
};

/// A property value or action argument as it crosses between the engine and a
/// backend: nil, boolean, integer, float, string, or a table as JSON text.
using DeviceValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, JsonText>;

/// One request to a real device, e.g. {55, "setValue", {70}}.
struct DeviceAction {
  DeviceId device;
  std::string action;
  std::vector<DeviceValue> args;
};

/// Carries actions to real devices. Implementations translate them into the device's
/// protocol (MQTT, a serial bus, ...).
class DeviceBackend {
 public:
  virtual ~DeviceBackend() = default;

  /// Called on the loop thread, synchronously, whenever a rule, script or the host
  /// performs an action on a device defined with this backend's name. The engine
  /// does not change the device's properties: report the device's new state with a
  /// DeviceReporter when the device confirms it. Must not throw, block, or call back
  /// into the engine's Lua state.
  virtual void perform(const DeviceAction& action) = 0;
};

/// Several reports that travel as one bus message and are applied in order, in one
/// delivery, before the events they cause are dispatched: every property one MQTT
/// message carries, say. A sensor that sends six properties at a time then costs the
/// loop one message instead of six, and a rule woken by one of them sees the others
/// already updated. Filled on any thread, then handed to DeviceReporter::post.
class DeviceReportBatch {
 public:
  /// As DeviceReporter::report, emit and restore.
  void report(const DeviceId& device, std::string_view property, const DeviceValue& value);
  void emit(const DeviceId& device, std::string_view property, const DeviceValue& value);
  void restore(const DeviceId& device, std::string_view property, const DeviceValue& value);

  /// How many reports the batch holds.
  [[nodiscard]] std::size_t size() const { return count_; }

 private:
  friend class DeviceReporter;
  void add(std::uint8_t kind, const DeviceId& device, std::string_view property,
           const DeviceValue& value);
  std::string packed_;  // The reports in the compact form native.each_report reads.
  std::size_t count_ = 0;
};

/// Thread-safe: posts property reports for the loop thread to apply. Cheap to copy;
/// valid as long as the bus (the engine's runtime) lives.
class DeviceReporter {
 public:
  explicit DeviceReporter(luasys::Bus& bus) : bus_(&bus) {}

  /// The device's property now has `value`. Applied on the loop thread with source
  /// "device": a value different from the current one posts a device event. Waits up
  /// to `timeout` ms for room on a full bus (0: never waits); false if the report was
  /// dropped (bus full or closed).
  bool report(const DeviceId& device, std::string_view property, const DeviceValue& value,
              luasys::Millis timeout = 0);

  /// An event-only property such as a button's centralSceneEvent: posts a device event
  /// on every emission and keeps no value. Same delivery rules as report().
  bool emit(const DeviceId& device, std::string_view property, const DeviceValue& value,
            luasys::Millis timeout = 0);

  /// The property's value as it was before anything happened (a retained MQTT message
  /// received on subscribe): the value changes and is persisted, but no device event is
  /// posted, so no rule runs. Same delivery rules as report().
  bool restore(const DeviceId& device, std::string_view property, const DeviceValue& value,
               luasys::Millis timeout = 0);

  /// Every report of `batch` as one bus message. Same delivery rules as report(); false
  /// if the whole batch was dropped. An empty batch posts nothing and returns true.
  bool post(DeviceReportBatch&& batch, luasys::Millis timeout = 0);

 private:
  enum class Kind { kUpdate, kEmit, kRestore };
  /// The kind's name for er.devices ("update", "emit_json", ...).
  static luasys::StaticText kind_text(Kind kind, bool json);
  bool post(const DeviceId& device, std::string_view property, const DeviceValue& value,
            Kind kind, luasys::Millis timeout);
  luasys::Bus* bus_;
};

/// Loop thread: routes the actions of every device defined with `backend = name` to
/// `backend`, replacing a backend attached under the same name. `backend` must stay
/// alive until it is detached or the engine is destroyed. Returns false (with the
/// reason in `*error` when given) if the engine failed to boot or the call failed.
bool attach_device_backend(Engine& engine, std::string_view name, DeviceBackend& backend,
                           std::string* error = nullptr);

/// Pushes onto `L`'s stack the Lua function attach_device_backend installs for
/// `backend`, for hosts that attach from Lua: er.devices.attach_backend(name, send).
/// `backend` must outlive every call of the function.
void push_device_backend_sender(lua_State* L, DeviceBackend& backend);

/// Loop thread: stops routing actions to the backend attached under `name`; actions on
/// its devices are then logged as errors and dropped.
bool detach_device_backend(Engine& engine, std::string_view name, std::string* error = nullptr);

}  // namespace er
