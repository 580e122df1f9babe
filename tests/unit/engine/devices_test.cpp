// er.devices: the registry, EventScript's device access (R.prop, R.setprop, R.mcall),
// the simulated home, change events, definition checks, the host API and the native
// backend bridge (rules/device_backend.h), driven through the engine's Lua state.

#include <string>
#include <thread>
#include <vector>

#include "engine_fixture.h"
#include "rules/device_backend.h"

namespace er::testing {
namespace {

// Test helpers in the engine's Lua state: E, R, show (canonical text), try (an error's
// message instead of raising), EVENTS (every device event emitted since the start).
constexpr const char* kPrelude = R"lua(
  E = require("er.engine").E
  R = E.R
  show = E.util.canonical
  function try(f, ...)
    local results = table.pack(pcall(f, ...))
    if results[1] then return show(results[2]) end
    local err = results[2]
    if type(err) == "table" then return "error: " .. tostring(err.message) end
    return "error: " .. tostring(err):gsub("^%[string .-%]:%d+: ", "")
  end
  EVENTS = {}
  local core = E.core  -- er.devices emits through core's object
  local emit = core.emit
  core.emit = function(ev)
    if ev.type == "device" then EVENTS[#EVENTS + 1] = ev end
    return emit(ev)
  end
  local emit_device = core.emit_device
  core.emit_device = function(id, property, value, old)
    EVENTS[#EVENTS + 1] = {type = "device", id = id, property = property, value = value, old = old}
    return emit_device(id, property, value, old)
  end
  ENV = {}
  E.devices.define_reference_home()
)lua";

class DevicesTest : public EngineTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine_->ok()) << engine_->boot_error();
    ASSERT_EQ(lua(kPrelude), "nil");
  }

  /// The canonical text of the Lua expression `expression`, or "error: <message>".
  std::string eval(const std::string& expression) {
    return lua("return try(function() return " + expression + " end)");
  }
};

// The suite is named <part>_<module> (docs/testing.md).
using engine_devices = DevicesTest;

TEST_F(engine_devices, GettersOfTheReferenceHome) {
  EXPECT_EQ(eval("R.prop(ENV, 55, 'value', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'isOn', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'isOn', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'isAllOn', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'value', 1)"), "{false, 40}");
  EXPECT_EQ(eval("R.prop(ENV, 66, 'bat', 1)"), "80");
  EXPECT_EQ(eval("R.prop(ENV, 67, 'breached', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'isClosed', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'name', 1)"), "\"hall_lamp\"");
  EXPECT_EQ(eval("R.prop(ENV, 77, 'temp', 1)"), "21.5");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'isDead', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {55, 67}, 'isOff', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {55, 66}, 'safe', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'isAnyOff', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 'garage'}, 'type', 1)"),
            "{\"binarySwitch\", \"rollerShutter\"}");
}

TEST_F(engine_devices, UnknownDevicesAndPropertiesUseTheSpecMessages) {
  EXPECT_EQ(eval("R.prop(ENV, 200000, 'value', 1)"), "error: No such device: 200000");
  EXPECT_EQ(eval("R.prop(ENV, 'attic', 'value', 1)"), "error: No such device: 'attic'");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'position', 1)"),
            "error: Device 55 (binarySwitch) does not support 'position'");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'bat', 1)"),
            "error: Device 'garage' (rollerShutter) does not support 'bat'");
  EXPECT_EQ(eval("R.prop(ENV, {55, 200000}, 'value', 1)"), "error: No such device: 200000");
  EXPECT_EQ(eval("R.setprop(ENV, 55, 'position', 5, 1)"),
            "error: Device 55 (binarySwitch) does not support setting 'position'");
  EXPECT_EQ(eval("R.setprop(ENV, 55, 'isOn', true, 1)"), "error: property 'isOn' cannot be set");
  EXPECT_EQ(eval("R.setprop(ENV, {55, 56}, 'sum', 1, 1)"), "error: property 'sum' cannot be set");
}

// Alarm partitions, profiles and scenes are supported (er.alarm, er.profiles,
// er.scenes): their names on another device get the plain message, no hint.
TEST_F(engine_devices, SupportedHomeObjectNamesGetNoHint) {
  EXPECT_EQ(eval("R.prop(ENV, 55, 'armed', 1)"), "error: Device 55 (binarySwitch) does not support 'armed'");
  EXPECT_EQ(eval("R.mcall(ENV, 55, 'tryArm', 1)"),
            "error: Device 55 (binarySwitch) does not support 'tryArm'");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'profile', 1)"),
            "error: Device 55 (binarySwitch) does not support 'profile'");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'kill', 1)"), "error: Device 55 (binarySwitch) does not support 'kill'");
}

TEST_F(engine_devices, AppendixBNamesGetTheirHints) {
  // Devices that send scene activation events have `scene`; a switch does not.
  EXPECT_EQ(eval("R.prop(ENV, 55, 'scene', 1)"), "error: Device 55 (binarySwitch) does not support 'scene'");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'email', 1)"),
            "error: Device 55 (binarySwitch) does not support 'email' (notifications are sent to "
            "devices of type 'user')");
  EXPECT_EQ(eval("R.setprop(ENV, 55, 'start', {type = 'x'}, 1)"),
            "error: Device 55 (binarySwitch) does not support setting 'start' (remote QuickApps "
            "are not supported yet)");
  // A host device that has such a name uses it normally.
  lua("er.defineDevice{id = 900, type = 'alarm', props = {armed = true}}");
  EXPECT_EQ(eval("R.prop(ENV, 900, 'armed', 1)"), "true");
}

TEST_F(engine_devices, ActionsChangeTheSimulatedStateAtOnceAndEmitAChangeEvent) {
  EXPECT_EQ(eval("R.prop(ENV, 55, 'on', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'isOn', 1)"), "true");
  EXPECT_EQ(eval("EVENTS"),
            "{{id = 55, old = false, property = \"value\", type = \"device\", value = true}}");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'on', 1)"), "true");
  EXPECT_EQ(eval("#EVENTS"), "1");  // Unchanged: no second event.
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'off', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'value', 1)"), "{false, 0}");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'toggle', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'value', 1)"), "99");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'open', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'value', 1)"), "99");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'close', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'isClosed', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'off', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'value', 1)"), "{}");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'isOn', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'isOff', 1)"), "true");
}

TEST_F(engine_devices, SettersSetAndReturnTheValue) {
  EXPECT_EQ(eval("R.setprop(ENV, 56, 'value', 70, 1)"), "70");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'value', 1)"), "70");
  EXPECT_EQ(eval("R.setprop(ENV, 'garage', 'position', 30, 1)"), "30");
  EXPECT_EQ(eval("R.prop(ENV, 'garage', 'position', 1)"), "30");
  EXPECT_EQ(eval("R.setprop(ENV, {55, 56}, 'value', 0, 1)"), "0");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'value', 1)"), "{0, 0}");
  EXPECT_EQ(eval("R.setprop(ENV, 66, 'prop', {'batteryLevel', 15}, 1)"), "{\"batteryLevel\", 15}");
  EXPECT_EQ(eval("R.prop(ENV, 66, 'bat', 1)"), "15");
}

TEST_F(engine_devices, ValueSetterSwitchesDevicesWithoutSetValue) {
  lua("er.defineDevice{id = 901, type = 'plug', props = {value = false},"
      " actions = {turnOn = function(dev) dev:update('value', true) end,"
      "            turnOff = function(dev) dev:update('value', false) end}}");
  EXPECT_EQ(eval("R.setprop(ENV, 901, 'value', 5, 1)"), "5");
  EXPECT_EQ(eval("R.prop(ENV, 901, 'value', 1)"), "true");
  EXPECT_EQ(eval("R.setprop(ENV, 901, 'value', 0, 1)"), "0");
  EXPECT_EQ(eval("R.prop(ENV, 901, 'value', 1)"), "false");
}

TEST_F(engine_devices, PlayerThermostatAndColorController) {
  lua("er.defineDevice{id = 1, type = 'player'}"
      " er.defineDevice{id = 2, type = 'thermostat'}"
      " er.defineDevice{id = 3, type = 'colorController'}");
  EXPECT_EQ(eval("R.prop(ENV, 1, 'play', 1) and R.prop(ENV, 1, 'state', 1)"), "\"playing\"");
  EXPECT_EQ(eval("R.setprop(ENV, 1, 'volume', 30, 1) and R.prop(ENV, 1, 'volume', 1)"), "30");
  EXPECT_EQ(eval("R.setprop(ENV, 1, 'state', 'paused', 1) and R.prop(ENV, 1, 'state', 1)"),
            "\"paused\"");
  EXPECT_EQ(
      eval(
          "R.setprop(ENV, 2, 'thermostatMode', 'Heat', 1) and R.prop(ENV, 2, 'thermostatMode', 1)"),
      "\"Heat\"");
  EXPECT_EQ(eval("R.setprop(ENV, 2, 'heatingThermostatSetpoint', 22, 1)"
                 " and R.prop(ENV, 2, 'heatingThermostatSetpoint', 1)"),
            "22");
  EXPECT_EQ(eval("R.prop(ENV, 2, 'heatingThermostatSetpointCapabilitiesMax', 1)"), "30");
  EXPECT_EQ(eval("R.setprop(ENV, 3, 'color', {255, 0, 10}, 1) and R.prop(ENV, 3, 'color', 1)"),
            "{255, 0, 10, 0}");
  EXPECT_EQ(eval("R.setprop(ENV, 2, 'value', 1, 1)"),
            "error: Device 2 (thermostat) does not support setting 'value'");
}

TEST_F(engine_devices, TableValuesCompareDeeply) {
  lua("er.defineDevice{id = 3, type = 'colorController'}");
  lua("R.setprop(ENV, 3, 'color', {1, 2, 3, 4}, 1)");
  EXPECT_EQ(eval("#EVENTS"), "1");
  lua("R.setprop(ENV, 3, 'color', {1, 2, 3, 4}, 1)");
  EXPECT_EQ(eval("#EVENTS"), "1");
  EXPECT_EQ(eval("EVENTS[1].old"), "{0, 0, 0, 0}");
}

TEST_F(engine_devices, Filters) {
  EXPECT_EQ(eval("R.prop(ENV, R.prop(ENV, {77, 78}, 'value', 1), 'average', 2)"), "22.5");
  EXPECT_EQ(eval("R.prop(ENV, {1, 0, 1}, 'sum', 1)"), "2");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'sum', 1)"), "0");
  EXPECT_EQ(eval("R.prop(ENV, {}, 'average', 1)"), "nil");
  EXPECT_EQ(eval("R.prop(ENV, {true, false, true}, 'mostlyTrue', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {true, false, 0}, 'mostlyFalse', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {1, 0, 5}, 'bin', 1)"), "{1, 0, 1}");
  EXPECT_EQ(eval("R.prop(ENV, {1, {2, {3}}}, 'leaf', 1)"), "{1, 2, 3}");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'allTrue', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {0, false}, 'someTrue', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {1, 'x', true}, 'allFalse', 1)"), "false");
  EXPECT_EQ(eval("R.prop(ENV, {1, 'x', 0}, 'someFalse', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {1, 'x', true, 2.5}, 'sum', 1)"), "4.5");
  EXPECT_EQ(eval("R.prop({event = {type = 'device', id = 56}}, {55, 56}, 'id', 1)"), "56");
  EXPECT_EQ(eval("R.prop({event = {type = 'device', id = 57}}, {55, 56}, 'id', 1)"), "{55, 56}");
}

TEST_F(engine_devices, ButtonEventsReadTheRunsEvent) {
  lua("PRESS = {event = {type = 'device', id = 88, property = 'centralSceneEvent',"
      " value = {keyId = 1, keyAttribute = 'Pressed'}}}");
  EXPECT_EQ(eval("R.prop(PRESS, 88, 'key', 1)"), "\"1:Pressed\"");
  EXPECT_EQ(eval("R.prop(PRESS, 88, 'central', 1)"), "{keyAttribute = \"Pressed\", keyId = 1}");
  EXPECT_EQ(eval("R.prop(ENV, 88, 'key', 1)"), "nil");
  EXPECT_EQ(eval("R.prop(ENV, 88, 'central', 1)"), "{}");
  lua("er.defineDevice{id = 89, type = 'remoteController'}");
  EXPECT_EQ(eval("R.prop(PRESS, {89, 88}, 'key', 1)"), "\"1:Pressed\"");
  EXPECT_EQ(eval("R.prop(ENV, {89, 88}, 'central', 1)"), "{}");
  // An emission posts every time and keeps no value.
  lua("er.device(88):emit('centralSceneEvent', {keyId = 2, keyAttribute = 'Released'})"
      " er.device(88):emit('centralSceneEvent', {keyId = 2, keyAttribute = 'Released'})");
  EXPECT_EQ(eval("#EVENTS"), "2");
  EXPECT_EQ(eval("EVENTS[2]"),
            "{id = 88, property = \"centralSceneEvent\", timestamp = 1747216800, type = \"device\", "
            "value = {keyAttribute = \"Released\", keyId = 2}}");
  EXPECT_EQ(eval("er.device(88):get('centralSceneEvent')"), "nil");
}

TEST_F(engine_devices, MethodCalls) {
  EXPECT_EQ(eval("R.mcall(ENV, 56, 'setValue', 1, 70)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'value', 1)"), "70");
  EXPECT_EQ(eval("R.mcall(ENV, {55, 56}, 'turnOff', 1)"), "true");
  EXPECT_EQ(eval("R.prop(ENV, {55, 56}, 'value', 1)"), "{false, 0}");
  EXPECT_EQ(eval("R.mcall(ENV, 'abc', 'upper', 1)"), "\"ABC\"");
  EXPECT_EQ(eval("R.mcall(ENV, {n = 2, twice = function(self) return self.n * 2 end}, 'twice', 1)"),
            "4");
  EXPECT_EQ(eval("R.mcall(ENV, 200000, 'turnOn', 1)"), "error: No such device: 200000");
  EXPECT_EQ(eval("R.mcall(ENV, 55, 'setPosition', 1, 3)"),
            "error: Device 55 (binarySwitch) does not support 'setPosition'");
  EXPECT_EQ(eval("R.mcall(ENV, 55, 'on', 1)"), "true");  // §10.4 names work as methods too.
  EXPECT_EQ(eval("R.mcall(ENV, true, 'x', 1)"), "error: attempt to index a boolean value");
  EXPECT_EQ(eval("R.mcall(ENV, 'abc', 'nope', 1)"), "error: attempt to call a nil value");
}

TEST_F(engine_devices, HostActionsReplaceTheSimulationAndReturnTheirResult) {
  lua("CALLS = {}"
      " er.defineDevice{id = 7, name = 'siren', type = 'binarySwitch',"
      "   actions = {turnOn = function(dev, ...) CALLS[#CALLS + 1] = {...}; return 'loud' end,"
      "              beep = function(dev, n) return n * 2 end}}");
  EXPECT_EQ(eval("R.mcall(ENV, 7, 'turnOn', 1, 'a', nil, 3)"), "\"loud\"");
  EXPECT_EQ(eval("R.prop(ENV, 7, 'value', 1)"), "false");  // No simulated change.
  EXPECT_EQ(eval("CALLS"), "{{\"a\", [3] = 3}}");
  EXPECT_EQ(eval("R.mcall(ENV, 7, 'beep', 1, 21)"), "42");
  EXPECT_EQ(eval("er.device(7):call('beep', 4)"), "8");
  EXPECT_EQ(eval("er.device(7):call('fly')"),
            "error: Device 7 (binarySwitch) does not support 'fly'");
}

TEST_F(engine_devices, DefineDeviceMergesTypeDefaultsAndRejectsDuplicates) {
  lua("er.defineDevice{id = 'porch', name = 'porch_light', type = 'multilevelSwitch', props = "
      "{extra = 1}}");
  EXPECT_EQ(eval("er.device('porch'):get('value')"), "0");
  EXPECT_EQ(eval("er.device('porch'):get('dead')"), "false");
  EXPECT_EQ(eval("R.prop(ENV, 'porch', 'extra', 1)"), "1");
  EXPECT_EQ(eval("er.device('porch').name .. ' ' .. er.device('porch').type"),
            "\"porch_light multilevelSwitch\"");
  EXPECT_EQ(eval("er.defineDevice{id = 55, type = 'binarySwitch'}"),
            "error: defineDevice: device 55 is already defined");
  EXPECT_EQ(eval("er.defineDevice{id = {}, type = 'binarySwitch'}"),
            "error: defineDevice: id must be an integer or a string");
  EXPECT_EQ(eval("er.device(55.0).id"), "55");
  EXPECT_EQ(eval("er.device(12345)"), "nil");
}

TEST_F(engine_devices, UpdateRecordsSourceAndChangeTime) {
  lua("er.device(56):update('value', 10)");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'manual', 1)"), "0");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'lastChanged', 1)"), "1747216800");
  clock_.advance_to(clock_.now() + 5000);
  EXPECT_EQ(eval("R.prop(ENV, 56, 'last', 1)"), "5");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'manual', 1)"), "5");
  lua("er.device(56):update('value', 20, 'script')");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'manual', 1)"), "-1");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'lastChanged', 1)"), "1747216805");
  // A property the type lacks becomes readable once reported.
  EXPECT_EQ(eval("R.prop(ENV, 56, 'energy', 1)"),
            "error: Device 56 (multilevelSwitch) does not support 'energy'");
  lua("er.device(56):update('energy', 1.5)");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'energy', 1)"), "1.5");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'energy', 1)"),
            "error: Device 55 (binarySwitch) does not support 'energy'");
}

TEST_F(engine_devices, ActionObserversSeeEveryAction) {
  lua("SEEN = {} E.devices.on_action(function(id, action, args, epoch)"
      " SEEN[#SEEN + 1] = {id, action, args, epoch} end)");
  lua("R.setprop(ENV, 56, 'value', 70, 1) R.prop(ENV, 55, 'on', 1) R.mcall(ENV, 'garage', 'stop', "
      "1)");
  EXPECT_EQ(eval("SEEN"),
            "{{56, \"setValue\", {70}, 1747216800}, {55, \"turnOn\", {}, 1747216800}, "
            "{\"garage\", \"stop\", {}, 1747216800}}");
}

TEST_F(engine_devices, EachListsDevicesInIdOrder) {
  lua("er.defineDevice{id = 'attic', type = 'binarySwitch'} er.defineDevice{id = 2, type = "
      "'binarySwitch'}");
  EXPECT_EQ(eval("(function() local ids = {} for id in E.devices.each() do ids[#ids + 1] = id end"
                 " return ids end)()"),
            "{2, 55, 56, 66, 67, 77, 78, 88, \"attic\", \"garage\"}");
}

TEST_F(engine_devices, DefinitionChecks) {
  EXPECT_EQ(eval("E.devices.check(200000, 'value', 'get', 1)"), "error: No such device: 200000");
  EXPECT_EQ(eval("E.devices.check({55, 56}, 'position', 'get', 1)"),
            "error: Device 55 (binarySwitch) does not support 'position'");
  EXPECT_EQ(eval("E.devices.check({55, 56}, 'isOn', 'get', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check({55, 56}, 'sum', 'get', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check(55, 'sum', 'get', 1)"),
            "error: Device 55 (binarySwitch) does not support 'sum'");
  EXPECT_EQ(eval("E.devices.check(55, 'isOn', 'set', 1)"), "error: property 'isOn' cannot be set");
  EXPECT_EQ(eval("E.devices.check('garage', 'position', 'set', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check(56, 'dim', 'set', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check(55, 'dim', 'set', 1)"),
            "error: Device 55 (binarySwitch) does not support setting 'dim'");
  EXPECT_EQ(eval("E.devices.check(56, 'setValue', 'call', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check(56, 'fly', 'call', 1)"),
            "error: Device 56 (multilevelSwitch) does not support 'fly'");
  EXPECT_EQ(eval("E.devices.check('abc', 'upper', 'call', 1)"), "nil");
  EXPECT_EQ(eval("E.devices.check(200000, 'turnOn', 'call', 1)"), "error: No such device: 200000");
}

TEST_F(engine_devices, StoreHooksRestoreAndRecordState) {
  lua("STORED = {} E.store = E.store or {}"
      " E.store.device_state = function(id) if id == 5 then return {value = true} end end"
      " E.store.device_changed = function(id, p, v) STORED[#STORED + 1] = {id, p, v} end"
      " er.defineDevice{id = 5, type = 'binarySwitch'}");
  EXPECT_EQ(eval("er.device(5):get('value')"), "true");
  lua("R.prop(ENV, 5, 'off', 1)");
  EXPECT_EQ(eval("STORED"), "{{5, \"value\", false}}");
}

TEST_F(engine_devices, ResetClearsTheRegistry) {
  lua("E.reset()");
  EXPECT_EQ(eval("er.device(55)"), "nil");
  EXPECT_EQ(eval("R.prop(ENV, 55, 'value', 1)"), "error: No such device: 55");
  lua("E.devices.define_reference_home()");
  EXPECT_EQ(eval("R.prop(ENV, 56, 'value', 1)"), "40");
}

// A backend that records the requests it gets.
class FakeBackend final : public DeviceBackend {
 public:
  void perform(const DeviceAction& action) override { actions.push_back(action); }
  std::vector<DeviceAction> actions;
};

TEST_F(engine_devices, BackendGetsActionsAndItsReportsChangeTheDevice) {
  FakeBackend backend;
  std::string error;
  ASSERT_TRUE(attach_device_backend(*engine_, "fake", backend, &error)) << error;
  lua("er.defineDevice{id = 500, type = 'multilevelSwitch', backend = 'fake'}"
      " er.defineDevice{id = 'tv', type = 'player', backend = 'fake'}");
  EXPECT_EQ(eval("R.setprop(ENV, 500, 'value', 70, 1)"), "70");
  EXPECT_EQ(eval("R.prop(ENV, 500, 'value', 1)"), "0");  // Real devices change when they report.
  EXPECT_EQ(eval("R.mcall(ENV, 'tv', 'setVolume', 1, 2.5, 'x', true, nil)"), "true");
  ASSERT_EQ(backend.actions.size(), 2U);
  EXPECT_EQ(backend.actions[0].device, DeviceId{std::int64_t{500}});
  EXPECT_EQ(backend.actions[0].action, "setValue");
  EXPECT_EQ(backend.actions[0].args, (std::vector<DeviceValue>{std::int64_t{70}}));
  EXPECT_EQ(backend.actions[1].device, DeviceId{std::string("tv")});
  EXPECT_EQ(backend.actions[1].args,
            (std::vector<DeviceValue>{2.5, std::string("x"), true, std::monostate{}}));

  DeviceReporter reporter(engine_->runtime().bus());
  std::thread network([reporter]() mutable {
    reporter.report(std::int64_t{500}, "value", std::int64_t{70});
    reporter.report(std::string("tv"), "state", std::string("playing"));
  });
  network.join();
  advance(0);
  EXPECT_EQ(eval("R.prop(ENV, 500, 'value', 1)"), "70");
  EXPECT_EQ(eval("er.device(500).sources.value"), "\"device\"");
  EXPECT_EQ(eval("R.prop(ENV, 'tv', 'state', 1)"), "\"playing\"");
  EXPECT_EQ(eval("EVENTS[1]"),
            "{id = 500, old = 0, property = \"value\", type = \"device\", value = 70}");
}

TEST_F(engine_devices, BackendTablesTravelAsJson) {
  FakeBackend backend;
  ASSERT_TRUE(attach_device_backend(*engine_, "fake", backend));
  lua("er.defineDevice{id = 501, type = 'colorController', backend = 'fake'}"
      " er.defineDevice{id = 502, type = 'remoteController', backend = 'fake'}");
  lua("R.setprop(ENV, 501, 'color', {1, 2, 3}, 1) er.device(501):call('setColor', {r = 1})");
  ASSERT_EQ(backend.actions.size(), 2U);
  EXPECT_EQ(backend.actions[0].args, (std::vector<DeviceValue>{std::int64_t{1}, std::int64_t{2},
                                                               std::int64_t{3}, std::monostate{}}));
  EXPECT_EQ(backend.actions[1].args, (std::vector<DeviceValue>{JsonText{"{\"r\":1}"}}));

  DeviceReporter reporter(engine_->runtime().bus());
  EXPECT_TRUE(reporter.report(std::int64_t{501}, "color", JsonText{"[1,2,3,0]"}));
  EXPECT_TRUE(reporter.emit(std::int64_t{502}, "centralSceneEvent",
                            JsonText{R"({"keyId":1,"keyAttribute":"Pressed"})"}));
  advance(0);
  EXPECT_EQ(eval("er.device(501):get('color')"), "{1, 2, 3, 0}");
  EXPECT_EQ(eval("EVENTS[2].value"), "{keyAttribute = \"Pressed\", keyId = 1}");
}

TEST_F(engine_devices, DetachedBackendDropsActionsWithAnError) {
  FakeBackend backend;
  ASSERT_TRUE(attach_device_backend(*engine_, "fake", backend));
  ASSERT_TRUE(detach_device_backend(*engine_, "fake"));
  lua("er.defineDevice{id = 500, type = 'binarySwitch', backend = 'fake'} R.prop(ENV, 500, 'on', "
      "1)");
  EXPECT_TRUE(backend.actions.empty());
  EXPECT_TRUE(logged("Device 500 (binarySwitch): backend 'fake' is not attached")) << all_logs();
}

TEST_F(engine_devices, RestoredValuesChangeTheDeviceWithoutAnEvent) {
  lua("er.defineDevice{id = 503, type = 'binarySensor', backend = 'fake'}");
  DeviceReporter reporter(engine_->runtime().bus());
  EXPECT_TRUE(reporter.restore(std::int64_t{503}, "value", true));
  EXPECT_TRUE(reporter.restore(std::int64_t{503}, "temperature", 21.5));
  advance(0);
  EXPECT_EQ(eval("er.device(503):get('value')"), "true");
  EXPECT_EQ(eval("er.device(503):get('temperature')"), "21.5");
  EXPECT_EQ(eval("#EVENTS"), "0");
  EXPECT_TRUE(reporter.report(std::int64_t{503}, "value", false));
  advance(0);
  EXPECT_EQ(eval("#EVENTS"), "1");
}

TEST_F(engine_devices, ActionsOnUnavailableDevicesAreSentAndSaidSo) {
  FakeBackend backend;
  ASSERT_TRUE(attach_device_backend(*engine_, "fake", backend));
  lua("er.defineDevice{id = 504, name = 'porch_lamp', type = 'binarySwitch', backend = 'fake',"
      " props = {available = false}}");
  lua("R.mcall(ENV, 504, 'turnOn', 1)");
  EXPECT_EQ(backend.actions.size(), 1U);
  EXPECT_TRUE(logged("turnOn while the device is unavailable")) << all_logs();
}

TEST_F(engine_devices, ABatchAppliesEveryReportInOrderBeforeItsEvents) {
  lua("er.defineDevice{id = 505, type = 'multilevelSensor', backend = 'fake', props = {value = 0, "
      "temperature = 0}}"
      " er.defineDevice{id = 'porch', type = 'remoteController', backend = 'fake'}"
      " er.defineDevice{id = 506, type = 'binarySensor', backend = 'fake'}");
  // The rule runs after the whole batch: it sees the temperature reported after the value.
  lua("er.eval(\"505:value => log('temperature %s', 505:temperature)\", {verbosity = 'silent'})");
  DeviceReportBatch batch;
  batch.report(std::int64_t{505}, "value", 21.5);
  batch.report(std::int64_t{505}, "temperature", std::int64_t{21});
  batch.report(std::int64_t{505}, "label", std::string("kitchen"));
  batch.report(std::int64_t{505}, "color", JsonText{"[1,2,3,0]"});
  batch.report(std::int64_t{505}, "note", std::monostate{});
  batch.emit(std::string("porch"), "centralSceneEvent",
             JsonText{R"({"keyId":2,"keyAttribute":"Pressed"})"});
  batch.restore(std::int64_t{506}, "value", true);
  ASSERT_EQ(batch.size(), 7U);
  DeviceReporter reporter(engine_->runtime().bus());
  std::thread network([&reporter, &batch] { EXPECT_TRUE(reporter.post(std::move(batch))); });
  network.join();
  advance(0);
  EXPECT_EQ(eval("er.device(505):get('value')"), "21.5");
  EXPECT_EQ(eval("math.type(er.device(505):get('temperature'))"), "\"integer\"");
  EXPECT_EQ(eval("er.device(505):get('label')"), "\"kitchen\"");
  EXPECT_EQ(eval("er.device(505):get('color')"), "{1, 2, 3, 0}");
  EXPECT_EQ(eval("er.device(506):get('value')"), "true");
  // Every change in order (a nil that stays nil is none); the restore posts no event.
  std::string order;
  for (int i = 1; i <= 5; ++i) order += eval("EVENTS[" + std::to_string(i) + "].property") + " ";
  EXPECT_EQ(order, "\"value\" \"temperature\" \"label\" \"color\" \"centralSceneEvent\" ");
  EXPECT_EQ(eval("#EVENTS"), "5");
  EXPECT_EQ(eval("EVENTS[5].value"), "{keyAttribute = \"Pressed\", keyId = 2}");
  EXPECT_TRUE(logged("temperature 21")) << all_logs();
}

TEST_F(engine_devices, AnEmptyBatchPostsNothing) {
  DeviceReporter reporter(engine_->runtime().bus());
  EXPECT_TRUE(reporter.post(DeviceReportBatch{}));
  EXPECT_EQ(engine_->runtime().bus().size(), 0U);
}

// A report that fails (here: a device whose update raises) does not stop the rest of
// its batch, and the failure is still reported.
TEST_F(engine_devices, AFailingReportDoesNotStopTheRestOfItsBatch) {
  lua("er.defineDevice{id = 507, type = 'multilevelSensor', backend = 'fake'}"
      " er.defineDevice{id = 508, type = 'multilevelSensor', backend = 'fake'}"
      " er.device(507).values = setmetatable({}, {__newindex = function() error('refused') end})");
  DeviceReportBatch batch;
  batch.report(std::int64_t{507}, "value", std::int64_t{1});
  batch.report(std::int64_t{508}, "value", std::int64_t{2});
  DeviceReporter reporter(engine_->runtime().bus());
  EXPECT_TRUE(reporter.post(std::move(batch)));
  advance(0);
  EXPECT_EQ(eval("er.device(508):get('value')"), "2");
  EXPECT_TRUE(logged("refused")) << all_logs();
}

TEST_F(engine_devices, AMalformedBatchIsAnErrorNotACrash) {
  EXPECT_NE(lua("E.native.each_report('\\9', print)").find("malformed device report batch"),
            std::string::npos);
  EXPECT_NE(lua("E.native.each_report('\\0i12', print)").find("malformed device report batch"),
            std::string::npos);
}

TEST_F(engine_devices, ReportsForUnknownDevicesAreLogged) {
  DeviceReporter reporter(engine_->runtime().bus());
  EXPECT_TRUE(reporter.report(std::string("ghost"), "value", true));
  advance(0);
  EXPECT_TRUE(logged("device report for unknown device 'ghost'")) << all_logs();
}

}  // namespace
}  // namespace er::testing
