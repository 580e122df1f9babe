// sys tasks (spec §2; checklist 1-6, 19, 31, 34, 35).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_sys_tasks = LuaSysTest;

TEST_F(luabind_sys_tasks, TaskInitRunsToFirstWaitWithArgumentsAndReturnsTheTask) {
  EXPECT_EQ(run(R"(
local co = sys.taskInit(function(a, b)
  print("start", a, b)
  sys.wait(100)
  print("end", sys.now())
end, 1, 2)
print(type(co), sys.coresume(sys.taskInit(coroutine.yield)))
)"),
            "start\t1\t2\nthread\ttrue\nend\t100\n");
}

TEST_F(luabind_sys_tasks, TaskFailingAtOnceIsReportedAndStillReturned) {
  EXPECT_EQ(run(R"(
local co = sys.taskInitNamed("bad", function() error("boom") end)
print(type(co), coroutine.status(co), sys.taskInfo(co).state)
)"),
            "thread\tdead\tdead\n");
  ASSERT_FALSE(host_.lines.empty());
  EXPECT_EQ(host_.lines[0].rfind(
                "0.000 [ERROR] sys: task \"bad\" failed: ex.lua:2: boom\nstack traceback:", 0),
            0u)
      << host_.lines[0];
}

TEST_F(luabind_sys_tasks, WaitResumesAfterMillisecondsReturningNothingAndRoundsUp) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  print(select("#", sys.wait(10)), sys.now())
  sys.wait(1.5)
  print(sys.now())
end)
)"),
            "0\t10\n12\n");
}

TEST_F(luabind_sys_tasks, WaitZeroLoopsAlternateAfterDueTimersAndMessages) {
  EXPECT_EQ(run(R"(
sys.taskInit(function() for i = 1, 2 do print("A", i) sys.wait(0) end end)
sys.taskInit(function() for i = 1, 2 do print("B", i) sys.wait(0) end end)
sys.timerStart(print, 0, "timer")
sys.subscribe("M", function() print("message") end)
sys.publish("M")
print(pcall(function() sys.wait(10) end))
print(pcall(sys.check_task))
)"),
            "A\t1\nB\t1\n"
            "false\tex.lua:7: sys.wait called outside a task; start one with sys.taskInit\n"
            "false\tsys.check_task called outside a task; start one with sys.taskInit\n"
            "message\ntimer\nA\t2\nB\t2\n");
}

TEST_F(luabind_sys_tasks, WaitOutsideATaskNamesTheCallersPosition) {
  run("local x = 1\n\nsys.wait(5)\n");
  EXPECT_EQ(result_.status, CallResult::Status::Error);
  EXPECT_EQ(result_.message,
            "ex.lua:3: sys.wait called outside a task; start one with sys.taskInit");
}

TEST_F(luabind_sys_tasks, WaitChecksItsArgument) {
  EXPECT_EQ(run(R"(
sys.taskInit(function() print(pcall(sys.wait)) print(pcall(sys.wait, nil)) end)
)"),
            "false\tbad argument #1 to 'sys.wait' (number expected, got no value)\n"
            "false\tbad argument #1 to 'sys.wait' (number expected, got nil)\n");
}

TEST_F(luabind_sys_tasks, CoroutineSubscriberLeavesWaitWithIdAndArguments) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  sys.subscribe("PING", coroutine.running())
  print(sys.wait(1000))
  print(sys.now())
end)
sys.timerStart(sys.publish, 10, "PING", 7, nil)
)"),
            "PING\t7\tnil\n10\n");
}

TEST_F(luabind_sys_tasks, ForeignResumeEndsTheWaitAndCancelsItsTimer) {
  EXPECT_EQ(run(R"(
local co = sys.taskInit(function() print("got", sys.wait(500)) sys.wait(20) print("done", sys.now()) end)
sys.timerStart(function() coroutine.resume(co, "x", 1) end, 10)
)"),
            "got\tx\t1\ndone\t30\n");
}

TEST_F(luabind_sys_tasks, ClosedTaskLosesItsTimerAndSubscriptions) {
  EXPECT_EQ(run(R"(
local co = sys.taskInit(function() sys.waitUntil("X", 1000) print("never") end)
local co2 = sys.taskInit(function() sys.wait(1000) print("never") end)
coroutine.close(co) coroutine.close(co2)
sys.publish("X")
print(rtos.stats().timers, sys.taskInfo(co).state)
)"),
            "0\tdead\n");
  EXPECT_EQ(eval("sys.now()"), "0");
}

TEST_F(luabind_sys_tasks, EndedTaskDropsSubscriptionsButItsTimersRun) {
  EXPECT_EQ(run(R"(
local co = sys.taskInit(function()
  sys.subscribe("X", coroutine.running())
  sys.timerStart(print, 50, "timer of an ended task")
end)
sys.publish("X")
)"),
            "timer of an ended task\n");
}

TEST_F(luabind_sys_tasks, RunReturnsWhenNothingIsLeftThoughTasksWaitForever) {
  EXPECT_EQ(run(R"(
sys.taskInit(function() sys.waitUntil("NEVER") end)
sys.taskInit(function() coroutine.yield() end)
sys.timerStart(print, 5, "t")
sys.run()
print("after", sys.now(), #sys.tasks())
)"),
            "t\nafter\t5\t2\n");
}

TEST_F(luabind_sys_tasks, TasksListsLiveTasksWithStateWaitingOnAndWakeAt) {
  EXPECT_EQ(run(R"(
sys.taskInitNamed("sleeper", function() sys.wait(1000) end)
sys.taskInitNamed("listener", function() sys.waitUntil({"GO", "STOP"}) end)
sys.taskInitNamed("poller", function() sys.wait(0) end)
sys.taskInitNamed("yielder", function() coroutine.yield() end)
sys.taskInitEx(function() sys.waitMsg("box") end, "box")
sys.taskInitNamed("timed", function() sys.waitUntil("GO", 30) end)
local done = sys.taskInit(function() end)
for _, t in ipairs(sys.tasks()) do print(t.name, t.state, t.waiting_on, t.wake_at) end
print(sys.taskInfo(done).state, sys.taskInfo(done).name, sys.taskInfo(coroutine.create(print)))
sys.taskInit(function() print(sys.taskInfo(coroutine.running()).state) end)
)"),
            "sleeper\twaiting\tsleep\t1000\n"
            "listener\twaiting\tmessage GO,STOP\tnil\n"
            "poller\tready\tnil\tnil\n"
            "yielder\twaiting\tyield\tnil\n"
            "box\twaiting\tmailbox box\tnil\n"
            "timed\twaiting\tmessage GO\t30\n"
            "dead\ttask@ex.lua:8\tnil\n"
            "running\n");
}

TEST_F(luabind_sys_tasks, TaskErrorsAreLoggedAndTheLoopGoesOn) {
  EXPECT_EQ(run(R"(
sys.taskInitNamed("bad", function() sys.wait(10) error("boom") end)
sys.timerStart(print, 20, "still running")
)"),
            "still running\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0],
            "0.010 [ERROR] sys: task \"bad\" failed: ex.lua:2: boom\n"
            "stack traceback:\n\t[C]: in function 'error'\n\tex.lua:2: in function <ex.lua:2>");
}

TEST_F(luabind_sys_tasks, ErrorObjectsAreDescribed) {
  run(R"(
sys.taskInitNamed("n", function() error(42) end)
sys.taskInitNamed("t", function() error(setmetatable({}, {__tostring = function() return "custom" end})) end)
sys.taskInitNamed("x", function() error({}) end)
)");
  ASSERT_EQ(host_.lines.size(), 3u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.000 [ERROR] sys: task \"n\" failed: 42");
  EXPECT_EQ(host_.lines[1].substr(0, host_.lines[1].find('\n')),
            "0.000 [ERROR] sys: task \"t\" failed: custom");
  EXPECT_EQ(host_.lines[2].substr(0, host_.lines[2].find('\n')),
            "0.000 [ERROR] sys: task \"x\" failed: (error object is a table value)");
}

TEST_F(luabind_sys_tasks, AdoptedCoroutineBecomesATask) {
  EXPECT_EQ(run(R"(
local co = coroutine.create(function() sys.wait(10) print("adopted", sys.now()) end)
coroutine.resume(co)
print(sys.taskInfo(co).state, sys.taskInfo(co).name)
)"),
            "waiting\ttask@ex.lua:2\nadopted\t10\n");
}

TEST_F(luabind_sys_tasks, TaskInitChecksItsArgument) {
  EXPECT_EQ(run("print(pcall(sys.taskInit))\nprint(select(2, pcall(function() sys.taskInit(nil) "
                "end)))\n"),
            "false\tbad argument #1 to 'sys.taskInit' (function expected, got no value)\n"
            "ex.lua:2: bad argument #1 to 'taskInit' (function expected, got nil)\n");
}

}  // namespace
}  // namespace luasys::testing
