// sys timers (spec §4; checklist 20-31).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_sys_timers = LuaSysTest;

TEST_F(luabind_sys_timers, IdsStartAt2097152AndIdenticalStartsReplace) {
  EXPECT_EQ(run(R"(
local function tick(name) print(name, sys.now(), sys.timerIsActive(tick, name) == true) end
local a = sys.timerStart(tick, 100, "a")
sys.timerStart(tick, 100, "b")
local a2 = sys.timerStart(tick, 300, "a")
print(a, a2, sys.timerIsActive(a), sys.timerIsActive(a2) == tick, select("#", sys.timerIsActive(tick, "c")))
)"),
            "2097152\t2097154\tnil\ttrue\t0\nb\t100\tfalse\na\t300\tfalse\n");
}

TEST_F(luabind_sys_timers, LoopTimerDoesNotDriftAndStopsInItsCallback) {
  EXPECT_EQ(run(R"(
local n, id = 0
id = sys.timerLoopStart(function()
  n = n + 1
  print("tick", n, sys.now())
  if n == 3 then sys.timerStop(id) end
end, 20)
sys.timerAdvStart(print, 50, 1, "adv")
)"),
            "tick\t1\t20\ntick\t2\t40\nadv\ntick\t3\t60\nadv\n");
}

TEST_F(luabind_sys_timers, StopByIdentityAndStopAll) {
  EXPECT_EQ(run(R"(
local function f(x) print("f", x) sys.timerStopAll(f) end
sys.timerStart(f, 10, 1) sys.timerStart(f, 10, 2) sys.timerStart(f, 10, 3) sys.timerStart(f, 10)
sys.timerStop(f)
sys.timerStop(f, 1)
sys.timerStart(print, 5, "first")
)"),
            "first\nf\t2\n");
}

TEST_F(luabind_sys_timers, StoppingUnknownFiredOrNilTimersIsHarmless) {
  EXPECT_EQ(run(R"(
local id = sys.timerStart(print, 1, "fired")
sys.timerStop(nil) sys.timerStop(12345) sys.timerStop("x") sys.timerStopAll(nil)
sys.timerStart(function() sys.timerStop(id) print(select("#", sys.timerStop(id))) end, 2)
)"),
            "fired\n0\n");
}

TEST_F(luabind_sys_timers, OneShotIsInactiveInItsCallbackAndCanRestartItself) {
  EXPECT_EQ(run(R"(
local n = 0
local function again()
  n = n + 1
  print(n, sys.now(), sys.timerIsActive(again) == true)
  if n < 3 then print(sys.timerStart(again, 10) ~= nil) end
end
sys.timerStart(again, 10)
)"),
            "1\t10\tfalse\ntrue\n2\t20\tfalse\ntrue\n3\t30\tfalse\n");
}

TEST_F(luabind_sys_timers, AdvStartFiresRepeatPlusOneTimesAndRejectsShortPeriods) {
  EXPECT_EQ(run(R"(
sys.timerAdvStart(function() print("adv", sys.now()) end, 10, 2)
print(pcall(sys.timerLoopStart, print, 0.5))
print(pcall(sys.timerAdvStart, print, 0, 1))
print(sys.timerAdvStart(print, 0, 0, "once") ~= nil)
)"),
            "false\tbad argument #2 to 'sys.timerLoopStart' (period must be at least 1 ms)\n"
            "false\tbad argument #2 to 'sys.timerAdvStart' (period must be at least 1 ms)\n"
            "true\nonce\nadv\t10\nadv\t20\nadv\t30\n");
}

TEST_F(luabind_sys_timers, EqualDeadlinesFireInStartOrderAndStoppedOnesDoNot) {
  EXPECT_EQ(run(R"(
local second
sys.timerStart(function() print("one") sys.timerStop(second) end, 10)
second = sys.timerStart(print, 10, "two")
sys.timerStart(print, 10, "three")
)"),
            "one\nthree\n");
}

TEST_F(luabind_sys_timers, ZeroDelayFiresNextPassAndFractionsRoundUp) {
  EXPECT_EQ(run(R"(
sys.timerStart(function() print("zero", sys.now()) end, 0)
sys.timerStart(function() print("fraction", sys.now()) end, 2.1)
print("main")
)"),
            "main\nzero\t0\nfraction\t3\n");
}

TEST_F(luabind_sys_timers, TimerStartChecksArguments) {
  EXPECT_EQ(run(R"(
print(pcall(sys.timerStart, nil, 10))
print(pcall(sys.timerStart, print, "soon"))
print(select(2, pcall(function() sys.timerStart(nil, 1) end)))
)"),
            "false\tbad argument #1 to 'sys.timerStart' (function expected, got nil)\n"
            "false\tbad argument #2 to 'sys.timerStart' (number expected, got string)\n"
            "ex.lua:4: bad argument #1 to 'timerStart' (function expected, got nil)\n");
}

TEST_F(luabind_sys_timers, ArgumentsMatchByRawEqualityWithExactCount) {
  EXPECT_EQ(run(R"(
local t = {}
sys.timerStart(print, 10, "x", t)
print(sys.timerIsActive(print, "x", t), select("#", sys.timerIsActive(print, "x", {})),
      select("#", sys.timerIsActive(print, "x")), select("#", sys.timerIsActive(print, "x", t, nil)))
sys.timerStart(print, 10, 1)
print(sys.timerIsActive(print, 1.0))
sys.timerStop(print, "x", t) sys.timerStop(print, 1)
)"),
            "true\t0\t0\t0\ntrue\n");
}

TEST_F(luabind_sys_timers, AtTheLimitStartsFailWithoutTraceAndWaitRaises) {
  start(LoopOptions{.max_timers = 1});
  EXPECT_EQ(run(R"(
print(sys.timerStart(print, 10, "a"))
print(sys.timerStart(print, 10, "b"))
print(sys.timerStart(print, 20, "a"))
sys.taskInit(function() print(pcall(sys.wait, 5)) print(pcall(sys.waitUntil, "X", 5)) end)
print(rtos.stats().timers, rtos.stats().max_timers)
)"),
            "2097152\nnil\ttimer limit reached (1)\n2097153\n"
            "false\ttimer limit reached (1)\nfalse\ttimer limit reached (1)\n"
            "1\t1\na\n");
  EXPECT_EQ(eval("sys.now()"), "20");
}

TEST_F(luabind_sys_timers, WaitAtTheLimitRaisesWithItsPositionInTheTask) {
  start(LoopOptions{.max_timers = 1});
  EXPECT_EQ(run(R"(
sys.timerStart(print, 10, "a")
sys.taskInit(function()
  local ok, err = pcall(function() sys.wait(5) end)
  print(err)
  sys.wait(0)
  print("still waits a pass")
end)
)"),
            "ex.lua:4: timer limit reached (1)\nstill waits a pass\na\n");
}

TEST_F(luabind_sys_timers, TimerErrorsAreLoggedWithIdAndPlace) {
  EXPECT_EQ(run(R"(
local id = sys.timerStart(function() error("tick failed") end, 10)
local loop
loop = sys.timerLoopStart(function() if sys.now() >= 20 then sys.timerStop(loop) end error("again", 0) end, 10)
sys.timerStart(print, 15, "loop goes on")
)"),
            "loop goes on\n");
  ASSERT_GE(host_.lines.size(), 2u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.010 [ERROR] sys: timer 2097152 (ex.lua:2) failed: ex.lua:2: tick failed");
  EXPECT_EQ(host_.lines[1].substr(0, host_.lines[1].find('\n')),
            "0.010 [ERROR] sys: timer 2097153 (ex.lua:4) failed: again");
  EXPECT_EQ(host_.lines.size(), 3u);
}

TEST_F(luabind_sys_timers, CFunctionCallbacksReportC) {
  run("sys.timerStart(error, 5, 'c callback', 0)\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.005 [ERROR] sys: timer 2097152 ([C]) failed: c callback");
}

TEST_F(luabind_sys_timers, ManyTimersWithDistinctClosuresAllFire) {
  EXPECT_EQ(run(R"(
local fired = 0
for i = 1, 20000 do sys.timerStart(function() fired = fired + 1 end, (i * 7919) % 1000 + 1) end
sys.run()
print(fired, sys.now(), rtos.stats().timers)
)"),
            "20000\t1000\t0\n");
}

}  // namespace
}  // namespace luasys::testing
