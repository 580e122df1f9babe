// er.store: `$name` globals (R.pget, R.pset, er.globals), device state and rule flags
// over the native state store (spec §5.3, RI §4.1, docs/engine-internals.md §4.4).

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "rules/state_store.h"

namespace er::testing {
namespace {

// A memory store that counts writes and can be told to fail.
class ProbeStore final : public StateStore {
 public:
  bool load(StoredState& state) override { return !failing && memory.load(state); }
  bool put_global(std::string_view name, std::string_view value) override {
    ++writes;
    return !failing && memory.put_global(name, value);
  }
  bool erase_global(std::string_view name) override {
    ++writes;
    return !failing && memory.erase_global(name);
  }
  bool put_device_properties(std::span<const DeviceProperty> batch) override {
    ++writes;
    batch_sizes.push_back(batch.size());
    return !failing && memory.put_device_properties(batch);
  }
  bool put_rule_enabled(std::string_view rule, bool enabled) override {
    ++writes;
    return !failing && memory.put_rule_enabled(rule, enabled);
  }
  bool put_rule_error(std::string_view rule, std::string_view message,
                      std::string_view source_hash) override {
    ++writes;
    return !failing && memory.put_rule_error(rule, message, source_hash);
  }
  bool erase_rule_error(std::string_view rule) override {
    ++writes;
    return !failing && memory.erase_rule_error(rule);
  }
  bool erase_rule(std::string_view rule) override {
    ++writes;
    return !failing && memory.erase_rule(rule);
  }
  bool put_traces(std::span<const TraceList> batch) override {
    ++writes;
    return !failing && memory.put_traces(batch);
  }
  // The engine's notes are not counted as writes: the tests here count the writes of
  // globals, devices and rules.
  bool put_info(std::span<const InfoEntry> batch) override { return memory.put_info(batch); }
  [[nodiscard]] std::string last_error() const override { return "disk is full"; }

  StoredState stored() {
    StoredState state;
    memory.load(state);
    return state;
  }

  MemoryStateStore memory;
  bool failing = false;
  int writes = 0;
  std::vector<std::size_t> batch_sizes;  ///< One entry per put_device_properties call.
};

// Puts one device property into `store` directly.
void put_device(StateStore& store, std::string_view device, std::string_view property,
                std::string_view value) {
  const DeviceProperty entry{device, property, value};
  store.put_device_properties(std::span(&entry, 1));
}

class StoreTest : public EngineTest {
 protected:
  void SetUp() override { start(); }

  // Boots on store_ and records what er.store emits (through core.emit) in the Lua
  // global EVENTS.
  void start() {
    boot(&store_);
    run("EVENTS = {}\nE.core.emit = function(ev) EVENTS[#EVENTS + 1] = ev end");
  }
  // The events emitted so far, as stored text, and forgets them.
  std::string events() {
    return run("local text = E.serial.encode(EVENTS) EVENTS = {} return text");
  }

  ProbeStore store_;
};

// The suite is named <part>_<module> (docs/testing.md).
using engine_store = StoreTest;

TEST_F(engine_store, WriteIsInTheStoreWhenPsetReturns) {
  EXPECT_EQ(run("E.R.pset('Mode', 'away', 1)\nreturn E.native.store_load().globals.Mode"),
            "\"away\"");
  EXPECT_EQ(store_.stored().globals["Mode"], "\"away\"");
  EXPECT_EQ(run("return E.R.pget('Mode', 1)"), "away");
}

TEST_F(engine_store, NeverAssignedReadsNil) {
  EXPECT_EQ(run("return tostring(E.R.pget('Nothing', 1))"), "nil");
}

TEST_F(engine_store, PsetReturnsTheValueItWasGiven) {
  EXPECT_EQ(run("return E.R.pset('X', 5, 1)"), "5");
  EXPECT_EQ(run("local t = {} return tostring(rawequal(E.R.pset('X', t, 1), t))"), "true");
}

TEST_F(engine_store, WritesAndReadsAreDeepCopies) {
  EXPECT_EQ(run(R"(
    local t = {a = {1}}
    E.R.pset('T', t, 1)
    t.a[1] = 99                      -- changing the written table after the write
    local r = E.R.pget('T', 1)
    r.a[1] = 55                      -- changing what a read returned
    return E.serial.encode(E.R.pget('T', 1)) .. ' ' .. tostring(rawequal(E.R.pget('T', 1), E.R.pget('T', 1)))
  )"),
            "{a={1}} false");
}

TEST_F(engine_store, NilDeletes) {
  run("E.R.pset('Gone', 1, 1) E.R.pset('Gone', nil, 1)");
  EXPECT_EQ(run("return tostring(E.R.pget('Gone', 1))"), "nil");
  EXPECT_EQ(store_.stored().globals.count("Gone"), 0U);
}

TEST_F(engine_store, UnstorableValueRaisesAtItsPositionAndChangesNothing) {
  run("E.R.pset('x', 1, 1)");
  EXPECT_EQ(
      run("local ok, e = pcall(E.R.pset, 'x', print, 7) return e.position .. ' ' .. e.message"),
      "7 $x: a value of type 'function' cannot be stored");
  EXPECT_EQ(run("E.R.pset('x', {list = {1, coroutine.create(print)}}, 2)"),
            "error: $x: a value of type 'thread' cannot be stored");
  EXPECT_EQ(run("E.R.pset('x', setmetatable({}, {}), 2)"),
            "error: $x: a table with a metatable cannot be stored");
  EXPECT_EQ(run("local t = {} t[1] = t E.R.pset('x', t, 2)"),
            "error: $x: a table that contains itself cannot be stored");
  EXPECT_EQ(run("E.R.pset('x', {[true] = 1}, 2)"),
            "error: $x: a table key of type 'boolean' cannot be stored");
  EXPECT_EQ(run("return E.R.pget('x', 1)"), "1");
  EXPECT_EQ(store_.stored().globals["x"], "1");
  EXPECT_EQ(events(), "{{name=\"x\",type=\"global\",value=1}}");  // Only the first write.
}

TEST_F(engine_store, ChangesPostGlobalEventsAndEqualValuesDoNot) {
  run("E.R.pset('Mode', 'away', 1)");
  EXPECT_EQ(events(), "{{name=\"Mode\",type=\"global\",value=\"away\"}}");
  run("E.R.pset('Mode', 'away', 1)");
  EXPECT_EQ(events(), "{}");
  run("E.R.pset('Mode', 'home', 1)");
  EXPECT_EQ(events(), "{{name=\"Mode\",old=\"away\",type=\"global\",value=\"home\"}}");
  run("E.R.pset('Mode', nil, 1)");
  EXPECT_EQ(events(), "{{name=\"Mode\",old=\"home\",type=\"global\"}}");
  run("E.R.pset('List', {1, 2}, 1) E.R.pset('List', {1, 2}, 1)");
  EXPECT_EQ(events(), "{{name=\"List\",type=\"global\",value={1,2}}}");
  run("E.R.pset('List', {1, 3}, 1)");
  EXPECT_EQ(events(), "{{name=\"List\",old={1,2},type=\"global\",value={1,3}}}");
}

TEST_F(engine_store, EventValuesAreCopiesOfTheStoredValue) {
  EXPECT_EQ(run("E.R.pset('T', {n = 1}, 1)\nEVENTS[1].value.n = 2\nreturn E.R.pget('T', 1).n"),
            "1");
}

TEST_F(engine_store, AnEqualNumberOfTheOtherSubtypeIsStoredWithoutAnEvent) {
  run("E.R.pset('N', 1, 1)");
  events();
  run("E.R.pset('N', 1.0, 1)");
  EXPECT_EQ(events(), "{}");
  EXPECT_EQ(store_.stored().globals["N"], "1.0");
  EXPECT_EQ(run("return math.type(E.R.pget('N', 1))"), "float");
}

TEST_F(engine_store, NanIsNeverEqualToItselfSoEveryWritePosts) {
  run("E.R.pset('N', 0/0, 1) E.R.pset('N', 0/0, 1)");
  EXPECT_EQ(run("return #EVENTS"), "2");
}

TEST_F(engine_store, RewritingTheSameValueSkipsTheStore) {
  run("E.R.pset('Mode', 'away', 1)");
  const int writes = store_.writes;
  run("E.R.pset('Mode', 'away', 1) E.R.pset('Never', nil, 1)");
  EXPECT_EQ(store_.writes, writes);
}

TEST_F(engine_store, FailedStoreWriteRaisesAndKeepsTheOldValue) {
  run("E.R.pset('Mode', 'home', 1)");
  events();
  store_.failing = true;
  EXPECT_EQ(run("E.R.pset('Mode', 'away', 3)"), "error: $Mode: disk is full");
  EXPECT_EQ(run("return E.R.pget('Mode', 1)"), "home");
  EXPECT_EQ(events(), "{}");
  store_.failing = false;
  run("E.R.pset('Mode', 'away', 3)");  // Not skipped: the failed write stored nothing.
  EXPECT_EQ(store_.stored().globals["Mode"], "\"away\"");
}

TEST_F(engine_store, BootRestoresGlobalsDevicesAndRuleFlags) {
  store_.memory.put_global("Mode", "\"away\"");
  store_.memory.put_global("Config", "{on=true,level=2.5}");
  store_.memory.put_global("Broken", "{1,");
  put_device(store_.memory, "55", "value", "true");
  put_device(store_.memory, "\"garage\"", "value", "\"open\"");
  store_.memory.put_rule_enabled("hall", false);
  start();
  EXPECT_EQ(run("return E.R.pget('Mode', 1)"), "away");
  EXPECT_EQ(run("return E.serial.encode(E.R.pget('Config', 1))"), "{level=2.5,on=true}");
  EXPECT_EQ(run("return tostring(E.R.pget('Broken', 1))"), "nil");
  EXPECT_EQ(host_.lines,
            std::vector<std::string>{
                "state store: $Broken ignored: malformed stored value at byte 4: value expected"});
  EXPECT_EQ(run("return E.serial.encode(E.store.device_state(55))"), "{value=true}");
  EXPECT_EQ(run("return E.serial.encode(E.store.device_state('garage'))"), "{value=\"open\"}");
  EXPECT_EQ(run("return tostring(E.store.device_state(56))"), "nil");
  EXPECT_EQ(run("return tostring(E.store.rule_flag('hall')) .. ' ' .. "
                "tostring(E.store.rule_flag('porch'))"),
            "false nil");
}

// Flags an older version kept by rule number name other rules after any edit: they
// are dropped from the store at the start, with one line.
TEST_F(engine_store, FlagsStoredByRuleNumberAreDroppedOnceWithOneLine) {
  store_.memory.put_rule_enabled("RULE1", false);
  store_.memory.put_rule_enabled("RULE12", true);
  store_.memory.put_rule_enabled("hall", false);
  start();
  EXPECT_EQ(store_.stored().rules_enabled, (std::map<std::string, bool>{{"hall", false}}));
  EXPECT_EQ(host_.lines,
            std::vector<std::string>{
                "state store: 2 rule flags stored by rule number (RULE<n>) dropped; rules are "
                "now kept by name or source (their identity)"});
  host_.lines.clear();
  start();
  EXPECT_TRUE(host_.lines.empty());
}

TEST_F(engine_store, RuleErrorsAreStoredLoadedAndForgotten) {
  run("E.store.put_rule_error('hall', 'x.er:1:1: runtime error: boom', 'abc')");
  EXPECT_EQ(store_.stored().rule_errors.at("hall").message, "x.er:1:1: runtime error: boom");
  start();
  EXPECT_EQ(run("local e = E.store.rule_error('hall') return e.message .. ' ' .. e.hash"),
            "x.er:1:1: runtime error: boom abc");
  run("E.store.clear_rule_error('hall')");
  EXPECT_TRUE(store_.stored().rule_errors.empty());
  EXPECT_EQ(run("return tostring(E.store.rule_error('hall'))"), "nil");
}

TEST_F(engine_store, UnreadableStoreIsLoggedAndTheEngineStartsEmpty) {
  store_.memory.put_global("Mode", "\"away\"");
  store_.failing = true;
  start();
  EXPECT_EQ(host_.lines, std::vector<std::string>{"state store: disk is full"});
  EXPECT_EQ(run("return tostring(E.R.pget('Mode', 1))"), "nil");
}

TEST_F(engine_store, DeviceChangesAreStoredWhenStorable) {
  run("E.store.device_changed(55, 'value', true)\n"
      "E.store.device_changed('garage', 'value', 'open')\n"
      "E.store.device_changed(55, 'color', {r = 1, g = 2, b = 3})\n"
      "E.store.device_changed(55, 'callback', print)\n"
      "E.store.flush()");
  const StoredState stored = store_.stored();
  EXPECT_EQ(stored.devices.at("55"),
            (std::map<std::string, std::string>{{"value", "true"}, {"color", "{b=3,g=2,r=1}"}}));
  EXPECT_EQ(stored.devices.at("\"garage\""),
            (std::map<std::string, std::string>{{"value", "\"open\""}}));
  EXPECT_EQ(run("return E.serial.encode(E.store.device_state(55))"),
            "{color={b=3,g=2,r=1},value=true}");
}

TEST_F(engine_store, OneFlushIsOneBatchOfTheLastValues) {
  run("E.store.device_changed(55, 'value', true)\n"
      "E.store.device_changed(55, 'value', false)\n"
      "E.store.device_changed(55, 'power', 12)\n"
      "E.store.device_changed('garage', 'value', 'open')\n"
      "E.store.flush()");
  EXPECT_EQ(store_.batch_sizes, std::vector<std::size_t>{3});
  EXPECT_EQ(store_.stored().devices.at("55"),
            (std::map<std::string, std::string>{{"value", "false"}, {"power", "12"}}));
}

TEST_F(engine_store, DeviceChangesOfAPassAreStoredAtItsEndAsOneBatch) {
  run("E.store.device_changed(55, 'value', true)\n"
      "E.store.device_changed(56, 'value', 3)");
  EXPECT_TRUE(store_.batch_sizes.empty());
  advance(0);  // One loop pass.
  EXPECT_EQ(store_.batch_sizes, std::vector<std::size_t>{2});
  EXPECT_EQ(store_.stored().devices.at("56"), (std::map<std::string, std::string>{{"value", "3"}}));
}

// A busy home would write once per pass: a change within 50 ms of the last flush waits
// until that time is over, and everything changed meanwhile goes in that one batch.
TEST_F(engine_store, FlushesAreAtLeastFiftyMillisecondsApart) {
  run("E.store.device_changed(55, 'value', 1)");
  advance(0);
  ASSERT_EQ(store_.batch_sizes, std::vector<std::size_t>{1});
  run("E.store.device_changed(55, 'value', 2)");
  advance(0);
  run("E.store.device_changed(56, 'value', 3)");
  advance(49);
  EXPECT_EQ(store_.batch_sizes, std::vector<std::size_t>{1});
  advance(1);
  EXPECT_EQ(store_.batch_sizes, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(store_.stored().devices.at("55"), (std::map<std::string, std::string>{{"value", "2"}}));
  // A change long after the last flush is written at the end of its pass. (The virtual
  // clock moves only to something due: a timer takes it there.)
  run("sys.timerStart(function() E.store.device_changed(56, 'value', 4) end, 1000)");
  advance(999);
  EXPECT_EQ(store_.batch_sizes, (std::vector<std::size_t>{1, 2}));
  advance(1);
  EXPECT_EQ(store_.batch_sizes, (std::vector<std::size_t>{1, 2, 1}));
}

TEST_F(engine_store, AFlushWithNothingChangedWritesNothing) {
  run("E.store.device_changed(55, 'value', true) E.store.flush()");
  run("E.store.device_changed(55, 'value', true) E.store.device_changed(55, 'f', print)\n"
      "E.store.flush()");
  EXPECT_EQ(store_.batch_sizes, std::vector<std::size_t>{1});
}

TEST_F(engine_store, UnchangedDevicePropertySkipsTheStore) {
  run("E.store.device_changed(55, 'value', 40) E.store.flush()");
  const int writes = store_.writes;
  run("E.store.device_changed(55, 'value', 40) E.store.flush()");
  EXPECT_EQ(store_.writes, writes);
  run("E.store.device_changed(55, 'value', 41) E.store.flush()");
  EXPECT_EQ(store_.writes, writes + 1);
}

TEST_F(engine_store, RuleFlagsAreStoredByName) {
  run("E.store.rule_enabled('hall', false) E.store.rule_enabled('porch', true)");
  EXPECT_EQ(store_.stored().rules_enabled,
            (std::map<std::string, bool>{{"hall", false}, {"porch", true}}));
  EXPECT_EQ(run("return tostring(E.store.rule_flag('hall'))"), "false");
  const int writes = store_.writes;
  run("E.store.rule_enabled('hall', false)");
  EXPECT_EQ(store_.writes, writes);
}

TEST_F(engine_store, FailedDeviceAndRuleWritesAreLogged) {
  store_.failing = true;
  run("E.store.device_changed(55, 'value', true) E.store.flush() E.store.rule_enabled('hall', false)");
  EXPECT_EQ(host_.lines, (std::vector<std::string>{"state store: 1 device property not stored: disk is full",
                                                   "state store: rule hall: disk is full"}));
  EXPECT_EQ(run("return tostring(E.store.rule_flag('hall'))"), "nil");
}

TEST_F(engine_store, AFailedBatchIsWrittenAgainWithTheNextChange) {
  store_.failing = true;
  run("E.store.device_changed(55, 'value', true) E.store.flush()");
  store_.failing = false;
  run("E.store.device_changed(55, 'value', true) E.store.flush()");  // Not skipped.
  EXPECT_EQ(store_.stored().devices.at("55").at("value"), "true");
}

TEST_F(engine_store, ResetForgetsMemoryButNotTheStore) {
  run("E.R.pset('X', 1, 1) E.store.device_changed(55, 'value', true) E.store.rule_enabled('r', "
      "false)");
  run("E.reset()");
  EXPECT_EQ(run("return tostring(E.R.pget('X', 1)) .. tostring(E.store.device_state(55)) .. "
                "tostring(E.store.rule_flag('r'))"),
            "nilnilnil");
  EXPECT_EQ(store_.stored().globals["X"], "1");
}

TEST_F(engine_store, ErGlobalsReadsAndWritesDollarVariables) {
  EXPECT_EQ(run("E.er.globals.Mode = 'away' return E.R.pget('Mode', 1)"), "away");
  EXPECT_EQ(events(), "{{name=\"Mode\",type=\"global\",value=\"away\"}}");
  EXPECT_EQ(run("E.R.pset('T', {1}, 1) local t = E.er.globals.T t[1] = 2 return E.er.globals.T[1]"),
            "1");
  EXPECT_EQ(run("local names = {} for k in pairs(E.er.globals) do names[#names + 1] = k end\n"
                "table.sort(names) return table.concat(names, ',')"),
            "Mode,T");
  EXPECT_EQ(run("local ok, err = pcall(function() E.er.globals.f = print end) return err"),
            "test:2: $f: a value of type 'function' cannot be stored");
  EXPECT_EQ(run("local ok, err = pcall(function() E.er.globals[1] = 2 end) return err"),
            "test:2: er.globals: a name must be a string");
}

}  // namespace
}  // namespace er::testing
