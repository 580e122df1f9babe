// The Runtime facade: modules, chunks, running and stopping, hooks, onError, the bus
// (spec §1, §6, §9-§11; checklist 32-34, 40-42, 44, 45).

#include <thread>

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_runtime = LuaSysTest;

TEST_F(luabind_runtime, LoopOptionsDefaultsAreTheLinuxDefaults) {
  const LoopOptions options;
  EXPECT_EQ(options.max_timers, 0u);
  EXPECT_EQ(options.bus_slots, 256u);
  EXPECT_EQ(options.heap_limit, 0u);
  EXPECT_EQ(options.log_level, 1);
  EXPECT_EQ(options.run_until, kForever);
}

TEST_F(luabind_runtime, ModulesAreGlobalsAndRequirable) {
  EXPECT_EQ(run(R"(
print(require("sys") == sys, require("sysplus") == sys, require("rtos") == rtos, require("log") == log)
print(sys_pub == sys.publish, sys_send == sys.sendMsg, sys_wait == sys.waitMsg)
)"),
            "true\ttrue\ttrue\ttrue\ntrue\ttrue\ttrue\n");
}

TEST_F(luabind_runtime, MainChunkErrorGivesMessageAndTraceback) {
  run("local function f() error('broken') end\nf()\n");
  EXPECT_EQ(result_.status, CallResult::Status::Error);
  EXPECT_EQ(result_.message, "ex.lua:1: broken");
  EXPECT_EQ(result_.traceback.rfind("stack traceback:\n\t[C]: in function 'error'", 0), 0u)
      << result_.traceback;
}

TEST_F(luabind_runtime, ScriptWithoutSysRunRunsItsTimers) {
  EXPECT_EQ(run("sys.timerStart(print, 10, 'timer')\nprint('chunk')\n"), "chunk\ntimer\n");
  EXPECT_TRUE(runtime_->run_called());
  EXPECT_EQ(runtime_->stop_reason(), StopReason::None);
}

TEST_F(luabind_runtime, TimeLimitFiresTimersDueAtTheLimitAndSkipsTheRestOfTheChunk) {
  start(LoopOptions{.run_until = 1000});
  EXPECT_EQ(run(R"(
sys.timerLoopStart(function() print(sys.now()) end, 400)
sys.timerStart(print, 1000, "at the limit")
sys.timerStart(print, 1001, "too late")
sys.run()
print("not reached")
)"),
            "400\n800\nat the limit\n");
  EXPECT_EQ(result_.status, CallResult::Status::Stopped);
  EXPECT_EQ(runtime_->stop_reason(), StopReason::TimeUp);
  EXPECT_EQ(eval("sys.now()"), "1000");
}

TEST_F(luabind_runtime, StopRequestEndsTheRunAfterThePass) {
  runtime_->request_stop();
  EXPECT_EQ(run("sys.timerStart(print, 1, 'never')\nsys.run()\nprint('not reached')\n"), "");
  EXPECT_EQ(result_.status, CallResult::Status::Stopped);
  EXPECT_EQ(runtime_->stop_reason(), StopReason::Stopped);
}

TEST_F(luabind_runtime, SysRunReturnsWhenIdleCanRunAgainAndRaisesWhenReentered) {
  EXPECT_EQ(run(R"(
sys.timerStart(function() print(pcall(sys.run)) print(pcall(sys.safeRun)) end, 5)
sys.run()
print("first run done", sys.now())
sys.timerStart(print, 5, "second run")
sys.run()
print(sys.safeRun())
)"),
            "false\tsys.run: already running\nfalse\tsys.run: already running\n"
            "first run done\t5\nsecond run\nfalse\n");
}

TEST_F(luabind_runtime, SafeRunLoopIsSysRun) {
  EXPECT_EQ(run(R"(
sys.taskInit(function() sys.wait(0) print("ready", sys.now()) sys.wait(30) print("slept", sys.now()) end)
sys.timerStart(print, 10, "timer")
local passes = 0
while sys.safeRun() do passes = passes + 1 end
print("passes", passes > 0, sys.now())
)"),
            "ready\t0\ntimer\nslept\t30\npasses\ttrue\t30\n");
}

TEST_F(luabind_runtime, ShutdownHooksRunOnceNewestFirst) {
  run(R"(
sys.onShutdown(function() print("first added") end)
sys.onShutdown(function() print("second added") error("hook failed") end)
)");
  runtime_->run_shutdown_hooks();
  runtime_->run_shutdown_hooks();
  EXPECT_EQ(output_, "second added\nfirst added\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.000 [ERROR] sys: shutdown hook (ex.lua:3) failed: ex.lua:3: hook failed");
}

TEST_F(luabind_runtime, OnErrorGetsTheInfoInsteadOfTheLog) {
  EXPECT_EQ(run(R"(
local function show(e)
  print(e.kind, e.message, e.where, e.name, type(e.co), e.id, e.traceback:match("^stack traceback:") ~= nil)
end
print(sys.onError(show))
sys.subscribe("X", function() error("bad", 0) end)
sys.publish("X")
sys.taskInitNamed("t", function() sys.wait(1) error("task error", 0) end)
sys.timerStart(function() error("timer error", 0) end, 2)
sys.timerStart(function() print(sys.onError(nil) == show) error("logged") end, 3)
)"),
            "nil\n"
            "subscriber\tbad\tex.lua:6\tnil\tnil\tX\ttrue\n"
            "task\ttask error\tex.lua:8\tt\tthread\tnil\ttrue\n"
            "timer\ttimer error\tex.lua:9\tnil\tnil\t2097152\ttrue\n"
            "true\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0].rfind(
                "0.003 [ERROR] sys: timer 2097153 (ex.lua:10) failed: ex.lua:10: logged", 0),
            0u);
}

TEST_F(luabind_runtime, FailingOnErrorHandlerLogsBothErrors) {
  run(R"(
sys.onError(function() error("handler broke", 0) end)
sys.timerStart(function() error("original", 0) end, 1)
)");
  ASSERT_EQ(host_.lines.size(), 2u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.001 [ERROR] sys: timer 2097152 (ex.lua:3) failed: original");
  EXPECT_EQ(host_.lines[1], "0.001 [ERROR] sys: onError handler failed: handler broke");
}

Message make_message(std::string id, std::int64_t value) {
  Message message;
  message.id = std::move(id);
  message.args[0] = value;
  message.args[1] = std::monostate{};
  message.argc = 2;
  return message;
}

TEST_F(luabind_runtime, BusMessagesAndLuaPublishesShareOneFifoOrder) {
  ASSERT_TRUE(runtime_->bus().try_post(make_message("BUS", 1)));
  runtime_->publish(make_message("CPP", 2));
  EXPECT_EQ(run(R"(
sys.subscribe("BUS", function(...) print("bus", select("#", ...), ...) sys.publish("LUA", 3) end)
sys.subscribe("CPP", function(v) print("cpp", v) end)
sys.subscribe("LUA", function(v) print("lua", v) end)
sys.taskInit(function() print("task", sys.waitUntil("BUS")) end)
)"),
            "cpp\t2\nbus\t2\t1\tnil\ntask\ttrue\t1\tnil\nlua\t3\n");
}

TEST_F(luabind_runtime, FullBusRefusesCountsAndWarnsOncePerPass) {
  start(LoopOptions{.bus_slots = 2});
  EXPECT_TRUE(runtime_->bus().try_post(make_message("A", 1)));
  EXPECT_TRUE(runtime_->bus().try_post(make_message("A", 2)));
  EXPECT_FALSE(runtime_->bus().try_post(make_message("A", 3)));
  EXPECT_EQ(run(R"(
local s = rtos.stats()
print(s.posted, s.dropped, s.bus_used, s.bus_slots, s.bus_peak)
sys.subscribe("A", function(v) print("A", v) end)
)"),
            "2\t1\t2\t2\t2\nA\t1\nA\t2\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0], "0.000 [WARN] sys: bus full: 1 message(s) dropped (1 in all)");
}

TEST_F(luabind_runtime, LiveProducerKeepsAnIdleRunWaitingUntilReleased) {
  Producer producer = runtime_->bus().add_producer("test thread");
  lua_State* L = runtime_->lua();
  luaL_dostring(L, R"(sys.subscribe("DONE", function(v) print("done", v) end))");
  std::thread poster([&producer, this] {
    runtime_->bus().post(make_message("DONE", 7), kForever);
    producer.release();
  });
  EXPECT_EQ(runtime_->run(), RunResult::Idle);
  poster.join();
  EXPECT_EQ(output_, "done\t7\n");
}

TEST_F(luabind_runtime, VirtualClockDrivesOsTimeAndOsDate) {
  EXPECT_EQ(run(R"(
local t0 = os.time()
sys.timerStart(function()
  print(os.time() - t0, os.date("!%Y", os.time()) == os.date("!%Y"), os.time({year = 2000, month = 1, day = 1, hour = 0}) > 0)
end, 5000)
)"),
            "5\ttrue\ttrue\n");
  EXPECT_EQ(eval("os.time() == 1700000005"), "true");
}

}  // namespace
}  // namespace luasys::testing
