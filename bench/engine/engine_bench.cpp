// The engine's benchmark figures. Each workload boots a fresh engine on a virtual
// clock (timers cost no waiting), prepares its rules and devices in Lua, then times
// only the measured phase with a steady clock.

#include <algorithm>
#include <chrono>
#include <ctime>

#include <sys/resource.h>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "port/linux_port.h"
#include "port/linux_watchdog.h"
#include "rules/device_backend.h"
#include "rules/engine.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

class QuietHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel level, std::string_view line) override {
    if (level == luasys::LogLevel::Error) std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }
  void reboot(std::string_view /*reason*/) override {}
};

// One engine on a virtual clock at 2025-05-14 12:00 local, with runaway protection
// on as `eventrunner` has it: the slice watchdog (a thread that samples the loop; no
// hook until a run overruns). ENGINE_BENCH_BUDGET=1 protects with the per-run
// instruction budget (a count hook) instead, for comparison.
struct Bench {
  QuietHost host;
  luasys::LinuxPort port;
  luasys::VirtualClock clock{1'747'216'800'000};
  er::Engine engine{host, port, clock, options()};
  luasys::LinuxWatchdog watchdog{engine.runtime(), port};

  static er::EngineOptions options() {
    er::EngineOptions options;  // The defaults: slice limit 1000 ms, no budget.
    if (std::getenv("ENGINE_BENCH_BUDGET") != nullptr) options.instruction_budget = 20'000'000;
    // Development: time the engine's Lua from another tree (an older version, say).
    if (const char* dir = std::getenv("ENGINE_BENCH_LUA_DIR"); dir != nullptr) options.lua_dir = dir;
    return options;
  }

  // Runs Lua `code`; aborts the benchmark on an error (a broken workload has no figure).
  void lua(const std::string& code) {
    lua_State* L = engine.lua();
    if (luaL_loadstring(L, code.c_str()) != LUA_OK) fail(lua_tostring(L, -1));
    const luasys::CallResult result = engine.runtime().call(0);
    if (result.status != luasys::CallResult::Status::Ok) fail(result.message);
  }

  double lua_number(const std::string& expression) {
    lua_State* L = engine.lua();
    luaL_dostring(L, ("return " + expression).c_str());
    const double value = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return value;
  }

  // Runs the loop until everything due now has been delivered.
  void settle() {
    luasys::RunOptions options;
    options.until = clock.now();
    engine.runtime().run(options);
  }

  [[noreturn]] static void fail(const std::string& message) {
    std::fprintf(stderr, "engine_bench: %s\n", message.c_str());
    std::exit(1);
  }
};

// CPU seconds the work took: the figures stay meaningful on a busy machine (the engine
// is single-threaded, so CPU time is the time it would take with a core to itself).
// Set ENGINE_BENCH_WALL=1 to measure wall-clock time instead.
double seconds_of(const std::function<void()>& work) {
  static const bool wall = std::getenv("ENGINE_BENCH_WALL") != nullptr;
  const auto start = SteadyClock::now();
  const std::clock_t cpu_start = std::clock();
  work();
  if (wall) return std::chrono::duration<double>(SteadyClock::now() - start).count();
  return static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
}

// ENGINE_BENCH_PROFILE=1: a sampling profiler over Lua source lines, every PROFILE_EVERY
// (default 1,000) VM instructions, on the main thread and on every coroutine created
// afterwards (coroutines inherit their creator's hook). =function: over functions, by
// the line where each is defined; =calls: calls per function (C functions by name);
// =alloc: bytes allocated per line, with the collector stopped. Prints the top lines.
const char* kProfiler = R"lua(
  local samples = {}
  local by_function = os.getenv("ENGINE_BENCH_PROFILE") == "function"
  -- ENGINE_BENCH_PROFILE=alloc: with the collector stopped, the bytes each line
  -- allocates (the growth of the heap up to the next sampled instruction).
  local by_alloc = os.getenv("ENGINE_BENCH_PROFILE") == "alloc"
  local last_key, last_kb = nil, 0
  if by_alloc then collectgarbage("stop") end
  local function sample()
    local kb = by_alloc and collectgarbage("count")
    local info = debug.getinfo(2, "Sl")
    if info then
      local line = by_function and ("function@" .. info.linedefined) or (info.currentline or 0)
      local key = info.short_src .. ":" .. line
      if by_alloc then
        if last_key then samples[last_key] = (samples[last_key] or 0) + (kb - last_kb) * 1024 end
        last_key, last_kb = key, collectgarbage("count")
      else
        samples[key] = (samples[key] or 0) + 1
      end
    end
  end
  -- ENGINE_BENCH_PROFILE=calls: the calls of each function, by the line where it is defined.
  local function count_call()
    local info = debug.getinfo(2, "Sn")
    local key = info.short_src .. ":" .. (info.what == "C" and tostring(info.name) or info.linedefined)
    samples[key] = (samples[key] or 0) + 1
  end
  local by_calls = os.getenv("ENGINE_BENCH_PROFILE") == "calls"
  local hook = by_calls and count_call or sample
  -- PROFILE_EVERY=1 counts every VM instruction (exact, slow).
  local mask, every = by_calls and "c" or "", by_calls and 0 or tonumber(os.getenv("PROFILE_EVERY") or 1000)
  debug.sethook(hook, mask, every)
  -- The loop runs callbacks on its own thread: hook it from the first delivery.
  local function hook_loop_thread() debug.sethook(hook, mask, every); sys.unsubscribe("er.event", hook_loop_thread) end
  sys.subscribe("er.event", hook_loop_thread)
  function profile_report()
    debug.sethook()
    local list = {}
    for k, v in pairs(samples) do list[#list + 1] = {k, v} end
    table.sort(list, function(a, b) return a[2] > b[2] end)
    for i = 1, math.min(tonumber(os.getenv("PROFILE_TOP") or 40), #list) do io.stderr:write(list[i][2], "  ", list[i][1], "\n") end
  end
)lua";

// Defines `count` idle rules, each listening to its own device (ids 1000 + i), none of
// which the measured events touch.
const char* kIdleRules = R"lua(
  local count = ...
  for i = 1, count do
    er.defineDevice{id = 1000 + i, name = "sensor" .. i, type = "multilevelSensor", props = {value = 0}}
  end
  for i = 1, count do
    er.eval((1000 + i) .. ":value > 50 => log('hot %d', " .. i .. ")", {verbosity = "silent"})
  end
)lua";

// A positive integer from the environment variable `name`, else `fallback`.
int env_count(const char* name, int fallback) {
  const char* text = std::getenv(name);
  const int value = text != nullptr ? std::atoi(text) : 0;
  return value > 0 ? value : fallback;
}

constexpr int kBurst = 100;

// One trial's reports: `count` calls of burst(), each followed by the loop delivering
// them. Kept out of line under its own name so that `valgrind --tool=callgrind
// --toggle-collect='*measured_reports*'` counts the instructions of exactly this phase.
[[gnu::noinline]] void measured_reports(Bench& bench, int count, int* last) {
  lua_State* L = bench.engine.lua();
  for (int done = 0; done < count; done += kBurst) {
    lua_getglobal(L, "burst");
    lua_pushinteger(L, *last + 1);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) Bench::fail(lua_tostring(L, -1));
    *last += kBurst;
    bench.settle();
  }
}

// Reports `count` new values of the Lua global device `device` (the values after
// `*last`, which it advances), in bursts of 100 each delivered before the next, as a
// home's events arrive; returns the best CPU seconds of five such trials (this
// machine's neighbours add noise, never speed; ENGINE_BENCH_TRIALS changes the number).
double best_seconds_of_reports(Bench& bench, const char* device, int count, int* last) {
  static const int trials = env_count("ENGINE_BENCH_TRIALS", 5);
  bench.lua(std::string("function burst(first) for i = first, first + ") + std::to_string(kBurst - 1) +
            " do " + device + ":update('value', i) end end");
  double best = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const double seconds = seconds_of([&] { measured_reports(bench, count, last); });
    if (trial == 0 || seconds < best) best = seconds;
  }
  return best;
}

// Dispatch: ns per event on a device with one listening rule (false condition), with
// `idle` other rules defined; the probe rule's trace mode is `trace` (docs/traces.md).
double dispatch_ns(int idle, const char* trace = "outcomes") {
  Bench bench;
  bench.lua("er.defineDevice{id = 1, name = 'probe', type = 'multilevelSensor', props = {value = 0}}");
  bench.lua(std::string("er.trace(er.eval('1:value < 0 => log(\"never\")', {verbosity = 'silent'}), '") + trace +
            "')");
  bench.lua(std::string("local f = load([[") + kIdleRules + "]]) f(" + std::to_string(idle) + ")");
  bench.settle();
  bench.lua("probe = er.device(1)");
  // Warm up (first-touch page faults, the allocator's free lists) and start from a
  // collected heap, so that what is timed is the steady cost of an event.
  // In bursts, as the measured phase delivers them: 50,000 runs in one delivery would
  // hold the loop past the slice limit on a busy machine.
  for (int first = 1; first <= 50'000; first += kBurst) {
    bench.lua("for i = " + std::to_string(first) + ", " + std::to_string(first + kBurst - 1) +
              " do probe:update('value', -i) end");
    bench.settle();
  }
  bench.lua("collectgarbage('collect')");
  static const int kEvents = env_count("ENGINE_BENCH_RUNS", 200'000);
  int last = 0;
  return best_seconds_of_reports(bench, "probe", kEvents, &last) * 1e9 / kEvents;
}

// Rule runs per second of `rule` (by default `sensor:value => lamp:value = sensor:value`,
// straight-line code; E2b a rule that calls a function, which the instruction budget's
// count hook slows).
double rule_runs_per_second(const char* rule = "sensor:value => lamp:value = sensor:value",
                            const char* trace = "outcomes") {
  Bench bench;
  bench.lua(R"lua(
    er.defineDevice{id = 1, name = 'sensor', type = 'multilevelSensor', props = {value = 0}}
    er.defineDevice{id = 2, name = 'lamp', type = 'multilevelSwitch', props = {value = 0}}
    er.vars.sensor, er.vars.lamp = 1, 2
    source = er.device(1)
  )lua");
  bench.lua(std::string("er.trace(er.eval([[") + rule + "]], {verbosity = 'silent'}), '" + trace + "')");
  bench.settle();
  static const int kRuns = env_count("ENGINE_BENCH_RUNS", 200'000);
  if (std::getenv("ENGINE_BENCH_PROFILE") != nullptr) bench.lua(kProfiler);
  int last = 0;
  const double seconds = best_seconds_of_reports(bench, "source", kRuns, &last);
  if (std::getenv("ENGINE_BENCH_PROFILE") != nullptr) bench.lua("profile_report()");
  if (bench.lua_number("er.device(2):get('value')") != last) Bench::fail("the lamp did not follow the sensor");
  return kRuns / seconds;
}

// Ingest: CPU ns per device report that arrives over the bus, as MQTT's network thread
// posts them ("er.device"), on 100 sensors each with a rule whose condition is false
// (mqtt_bench's M2 without the broker). Reports are posted in bursts of `burst`, each
// burst delivered before the next: 1 is a quiet home, 100 a busy one.
double bus_report_ns(int burst) {
  Bench bench;
  bench.lua(R"lua(
    for i = 0, 99 do
      er.defineDevice{id = 100 + i, name = 't' .. i, type = 'multilevelSensor', props = {value = 0}}
      er.eval('t' .. i .. ':value > 1e12 => log("hot")', {verbosity = 'silent'})
    end
  )lua");
  bench.settle();
  if (std::getenv("ENGINE_BENCH_PROFILE") != nullptr) bench.lua(kProfiler);
  er::DeviceReporter reporter(bench.engine.runtime().bus());
  // ENGINE_BENCH_QUICK=1: one short trial, for instruction counts under callgrind.
  const bool quick = std::getenv("ENGINE_BENCH_QUICK") != nullptr;
  const int reports = quick ? 20'000 : 200'000;
  std::int64_t value = 0;
  auto deliver = [&](int count) {
    for (int done = 0; done < count; done += burst) {
      for (int i = 0; i < burst; ++i, ++value) {
        if (!reporter.report(std::int64_t{100 + value % 100}, "value", static_cast<double>(value))) {
          Bench::fail("the bus refused a report");
        }
      }
      bench.settle();
    }
  };
  deliver(quick ? 2'000 : 20'000);  // Warm up.
  double best = 0;
  for (int trial = 0; trial < (quick ? 1 : 5); ++trial) {
    const double seconds = seconds_of([&] { deliver(reports); });
    if (trial == 0 || seconds < best) best = seconds;
  }
  if (std::getenv("ENGINE_BENCH_PROFILE") != nullptr) bench.lua("profile_report()");
  if (bench.lua_number("er.device(100 + " + std::to_string((value - 1) % 100) + "):get('value')") != static_cast<double>(value - 1)) {
    Bench::fail("the sensor did not take the last report");
  }
  return best * 1e9 / reports;
}

// E6's rule: the cheapest possible run, so that tracing's share of it is largest.
const char* const kTracedRule = "sensor:value => lamp:value = sensor:value";

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The cost of tracing (docs/traces.md), each figure against tracing off in the same
// round: rule runs per second (E6) and dispatch with 100,000 idle rules (E7). The modes
// alternate within each of ENGINE_BENCH_ROUNDS rounds (default 3), so that a neighbour's
// burst of load falls on all three alike; the medians of the rounds are printed.
void traced_figures() {
  const int rounds = env_count("ENGINE_BENCH_ROUNDS", 3);
  const char* const kModes[] = {"off", "outcomes", "full"};
  std::vector<double> runs[3], run_cost[3], dispatch[3], dispatch_ratio[3];
  for (int round = 0; round < rounds; ++round) {
    for (int m = 0; m < 3; ++m) runs[m].push_back(rule_runs_per_second(kTracedRule, kModes[m]));
    for (int m = 0; m < 3; ++m) run_cost[m].push_back(100.0 * (runs[0].back() / runs[m].back() - 1.0));
    std::printf("E6 round %d runs/s off: %.0f  outcomes: %.0f (cost %.1f%%)  full: %.0f (cost %.1f%%)\n", round + 1,
                runs[0].back(), runs[1].back(), run_cost[1].back(), runs[2].back(), run_cost[2].back());
    std::fflush(stdout);
  }
  std::printf("E6 traced_rule_runs_per_s (median of %d rounds) off: %.0f  outcomes: %.0f (cost %.1f%%, target <= 10%%)  full: %.0f (cost %.1f%%, target <= 35%%)\n",
              rounds, median(runs[0]), median(runs[1]), median(run_cost[1]), median(runs[2]), median(run_cost[2]));
  std::fflush(stdout);
  const int dispatch_rounds = env_count("ENGINE_BENCH_DISPATCH_ROUNDS", 1);
  for (int round = 0; round < dispatch_rounds; ++round) {
    for (int m = 0; m < 3; ++m) dispatch[m].push_back(dispatch_ns(100'000, kModes[m]));
    for (int m = 0; m < 3; ++m) dispatch_ratio[m].push_back(dispatch[m].back() / dispatch[0].back());
  }
  std::printf("E7 traced_dispatch_ns_per_event rules=100000 (median of %d rounds) off: %.0f  outcomes: %.0f (ratio %.2f)  full: %.0f (ratio %.2f)\n",
              dispatch_rounds, median(dispatch[0]), median(dispatch[1]), median(dispatch_ratio[1]), median(dispatch[2]),
              median(dispatch_ratio[2]));
}

struct DefineFigures {
  double seconds = 0;
  double heap_bytes_per_rule = 0;
};

// Time to define 10,000 rules (compile, load, index) and the Lua heap they keep.
DefineFigures define_rules() {
  constexpr int kRules = 10'000;
  Bench bench;
  bench.lua("for i = 1, " + std::to_string(kRules) +
            " do er.defineDevice{id = 1000 + i, name = 's' .. i, type = 'multilevelSensor', props = {value = 0}} end");
  bench.settle();
  bench.lua("collectgarbage('collect') collectgarbage('collect') heap_before = collectgarbage('count') * 1024");
  DefineFigures figures;
  figures.seconds = seconds_of([&] {
    bench.lua("for i = 1, " + std::to_string(kRules) +
              " do er.eval((1000 + i) .. ':value > 50 => log(\"hot %d\", ' .. i .. ')', {verbosity = 'silent'}) end");
  });
  bench.settle();
  bench.lua("collectgarbage('collect') collectgarbage('collect') heap_after = collectgarbage('count') * 1024");
  figures.heap_bytes_per_rule = (bench.lua_number("heap_after") - bench.lua_number("heap_before")) / kRules;
  return figures;
}

// A simulated year of examples/home, as users run it: the eventrunner command on the
// virtual clock, its timeline thrown away. CPU seconds of the child process (or wall
// seconds with ENGINE_BENCH_WALL=1).
double simulated_year_seconds(const std::string& eventrunner) {
  const std::string command = eventrunner + " run " ER_SOURCE_DIR "/examples/home --virtual --start '2025-01-01 00:00' --for 365d --state none > /dev/null";
  rusage before{};
  getrusage(RUSAGE_CHILDREN, &before);
  const auto start = SteadyClock::now();
  if (std::system(command.c_str()) != 0) Bench::fail("'" + command + "' failed");
  const double wall = std::chrono::duration<double>(SteadyClock::now() - start).count();
  rusage after{};
  getrusage(RUSAGE_CHILDREN, &after);
  if (std::getenv("ENGINE_BENCH_WALL") != nullptr) return wall;
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(after.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_utime) - seconds(before.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  auto wanted = [&](const char* name) { return only.empty() || only == name; };
  if (only == "script" && argc > 2) {  // Development: time a Lua file inside a fresh engine.
    Bench bench;
    bench.lua(std::string("dofile('") + argv[2] + "')");
    return 0;
  }
  if (wanted("dispatch")) {
    const double base = dispatch_ns(10);
    const double mid = dispatch_ns(1'000);
    const double large = dispatch_ns(100'000);
    std::printf("E1 dispatch ns_per_event rules=10: %.0f  rules=1000: %.0f  rules=100000: %.0f  ratio_100k_to_10=%.2f (target <= 1.30)\n",
                base, mid, large, large / base);
  }
  if (wanted("runs")) {
    std::printf("E2 rule_runs_per_s=%.0f (target >= 500000)\n", rule_runs_per_second());
    std::printf("E2b calling_rule_runs_per_s=%.0f (sensor:value => lamp:value = math.floor(sensor:value))\n",
                rule_runs_per_second("sensor:value => lamp:value = math.floor(sensor:value)"));
  }
  if (wanted("traces")) traced_figures();
  if (only == "e6" || only == "e7") {  // One mode alone, for callgrind: engine_bench e6 outcomes
    const char* mode = argc > 2 ? argv[2] : "outcomes";
    if (only == "e6") std::printf("E6 %s rule_runs_per_s=%.0f\n", mode, rule_runs_per_second(kTracedRule, mode));
    if (only == "e7") std::printf("E7 %s ns_per_event=%.0f\n", mode, dispatch_ns(100'000, mode));
  }
  if (wanted("ingest")) {
    const double quiet = bus_report_ns(1);
    const double busy = bus_report_ns(100);
    std::printf("E8 bus_report_ns burst=1: %.0f (%.0f reports/s)  burst=100: %.0f (%.0f reports/s)\n", quiet,
                1e9 / quiet, busy, 1e9 / busy);
  }
  if (wanted("define")) {
    const DefineFigures figures = define_rules();
    std::printf("E3 define_10k_rules_s=%.3f (target < 0.5)\n", figures.seconds);
    std::printf("E4 heap_bytes_per_idle_rule=%.0f (target <= 2048)\n", figures.heap_bytes_per_rule);
  }
  if (wanted("year")) {
    // The eventrunner binary sits next to this one (build/bin).
    std::string self = argv[0];
    const std::string eventrunner = self.substr(0, self.find_last_of('/') + 1) + "eventrunner";
    std::printf("E5 simulated_year_of_examples_home_s=%.2f (target < 5)\n", simulated_year_seconds(eventrunner));
  }
  return 0;
}
