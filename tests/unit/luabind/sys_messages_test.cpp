// sys messages (spec §3, §2.3; checklist 6-18, 31).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_sys_messages = LuaSysTest;

TEST_F(luabind_sys_messages, WaitUntilGivesTrueAndEveryArgumentOrOneFalse) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  print(sys.waitUntil("READY", 500))
  print(sys.waitUntil("READY", 500))
  sys.publish("SELF", 1)
  print(sys.waitUntil("SELF"), sys.now())
  print(sys.waitUntilExt({"A", "B"}, 50))
  print(sys.waitUntilMsg("C"))
  print(select("#", sys.waitUntil("D", 10)))
end)
sys.timerStart(sys.publish, 100, "READY", "x", nil)
sys.timerStart(sys.publish, 610, "B", 1)
sys.timerStart(sys.publish, 620, "C", 2, 3)
)"),
            "true\tx\tnil\nfalse\ntrue\t600\nB\t1\n2\t3\n1\n");
}

TEST_F(luabind_sys_messages, LateMessageAfterTimeoutIsLostAndSatisfiedWaitNeverTimesOut) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  print(sys.waitUntil("LATE", 10))
  print(sys.waitUntil("ON_TIME", 100))
  sys.wait(200)
  print("timers", rtos.stats().timers)
end)
sys.timerStart(sys.publish, 20, "LATE")
sys.timerStart(sys.publish, 50, "ON_TIME")
)"),
            "false\ntrue\ntimers\t0\n");
}

TEST_F(luabind_sys_messages, WaitUntilWithoutMsUsesNoTimerAndZeroPollsOnePass) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  sys.taskInit(function() print("timers while waiting", rtos.stats().timers) end)
  print(sys.waitUntil("POLL", 0), sys.now())
end)
sys.taskInit(function() sys.waitUntil("NEVER") end)
print("pending", rtos.stats().timers)
)"),
            "timers while waiting\t0\npending\t0\nfalse\t0\n");
}

TEST_F(luabind_sys_messages, MessagePublishedBeforeWaitIsMissedExceptTheTasksOwn) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  sys.publish("OWN", "mine")
  print(sys.waitUntil("OWN", 10))
end)
sys.publish("EARLY")
sys.taskInit(function()
  sys.wait(0)
  print(sys.waitUntil("EARLY", 10))
end)
)"),
            "true\tmine\nfalse\n");
}

TEST_F(luabind_sys_messages, PublishNeverDeliversDuringTheCallAndNilIdsAreIgnored) {
  EXPECT_EQ(run(R"(
sys.subscribe("M", function(x) print("got", x) end)
sys.publish("M", 1)
sys.publish(nil, 2)
sys.publish(0/0, 3)
print("published", rtos.stats().queued)
)"),
            "published\t1\ngot\t1\n");
}

TEST_F(luabind_sys_messages, DeliveryIsFifoOverAllIdsIncludingMessagesPublishedMeanwhile) {
  EXPECT_EQ(run(R"(
sys.subscribe("A", function(n) print("A", n) if n == 1 then sys.publish("B", 2) sys.publish("A", 3) end end)
sys.subscribe("B", function(n) print("B", n) end)
sys.publish("A", 1)
sys.publish("B", 1)
sys.timerStart(print, 0, "timer after the drain")
)"),
            "A\t1\nB\t1\nB\t2\nA\t3\ntimer after the drain\n");
}

TEST_F(luabind_sys_messages, TimerCallbackMessagesGoOutBeforeTheNextDueTimer) {
  EXPECT_EQ(run(R"(
sys.subscribe("M", function() print("message") end)
sys.timerStart(function() print("t1") sys.publish("M") end, 10)
sys.timerStart(function() print("t2") end, 10)
)"),
            "t1\nmessage\nt2\n");
}

TEST_F(luabind_sys_messages, FunctionsGetArgsCoroutinesGetIdAndArgs) {
  EXPECT_EQ(run(R"(
sys.subscribe("X", function(...) print("fn", select("#", ...), ...) end)
sys.taskInit(function()
  sys.subscribe("X", coroutine.running())
  print("co", coroutine.yield())
end)
sys.publish("X", 1, nil)
)"),
            "fn\t2\t1\tnil\nco\tX\t1\tnil\n");
}

TEST_F(luabind_sys_messages, DoubleSubscriptionGivesOneCallInSubscriptionOrder) {
  EXPECT_EQ(run(R"(
local function f(a, b) print("f", a, b) sys.unsubscribe("X", f) sys.publish("X", 3) end
local function g() print("g") end
sys.subscribe("X", f) sys.subscribe("X", g) sys.subscribe("X", f)
sys.publish("X", 1, 2)
)"),
            "f\t1\t2\ng\ng\n");
}

TEST_F(luabind_sys_messages, AddedMidDeliveryMissItRemovedFunctionsStillGetIt) {
  EXPECT_EQ(run(R"(
local function late(x) print("late", x) end
local function second(x) print("second", x) end
sys.subscribe("M", function(x)
  print("got", x)
  sys.subscribe("M", late)
  sys.unsubscribe("M", second)
  if x == 1 then sys.publish("M", 2) end
end)
sys.subscribe("M", second)
sys.publish("M", 1)
)"),
            "got\t1\nsecond\t1\ngot\t2\nlate\t2\n");
}

TEST_F(luabind_sys_messages, UnsubscribedCoroutineIsNotResumedMidDelivery) {
  EXPECT_EQ(run(R"(
local co
sys.subscribe("M", function() sys.unsubscribe("M", co) end)
co = sys.taskInit(function() sys.subscribe("M", coroutine.running()) print(coroutine.yield()) end)
sys.publish("M")
sys.timerStart(function() print("alive", coroutine.status(co)) end, 5)
)"),
            "alive\tsuspended\n");
}

TEST_F(luabind_sys_messages, AbsentUnsubscribeDoesNothingAndBadArgumentsRaise) {
  EXPECT_EQ(run(R"(
sys.unsubscribe("NONE", print)
print(pcall(sys.subscribe, nil, print))
print(pcall(sys.subscribe, "X", "text"))
print(select(2, pcall(function() sys.subscribe(nil, print) end)))
sys.taskInit(function() print(pcall(sys.waitUntil)) end)
)"),
            "false\tbad argument #1 to 'sys.subscribe' (message id expected, got nil)\n"
            "false\tbad argument #2 to 'sys.subscribe' (function or thread expected, got string)\n"
            "ex.lua:5: bad argument #1 to 'subscribe' (message id expected, got nil)\n"
            "false\tbad argument #1 to 'sys.waitUntil' (message id expected, got no value)\n");
}

TEST_F(luabind_sys_messages, IdsAreComparedAsTableKeys) {
  EXPECT_EQ(run(R"(
local key = function() end  -- Tables are id arrays for subscribe; functions are ids.
sys.subscribe(1, function(...) print("one", ...) end)
sys.subscribe(key, function() print("table key") end)
sys.subscribe(true, function() print("true") end)
local long = string.rep("x", 60)
sys.subscribe(long, function() print("long") end)
sys.publish(1.0, "a")
sys.publish(key)
sys.publish(function() end)
sys.publish(true)
sys.publish(string.rep("x", 60))
sys.taskInit(function() print(sys.waitUntilExt(2, 10)) end)
sys.publish(2.0, "float")
)"),
            "one\ta\ntable key\ntrue\nlong\n2.0\tfloat\n");
}

TEST_F(luabind_sys_messages, ArrayOfIdsSubscribesEach) {
  EXPECT_EQ(run(R"(
local function f(x) print("f", x) end
sys.subscribe({"A", "B"}, f)
sys.publish("A", 1) sys.publish("B", 2)
sys.timerStart(function() sys.unsubscribe({"A", "B"}, f) sys.publish("A", 3) end, 1)
)"),
            "f\t1\nf\t2\n");
}

TEST_F(luabind_sys_messages, SubscriberErrorsAreLoggedAndTheDeliveryGoesOn) {
  EXPECT_EQ(run(R"(
sys.subscribe("X", function() error("bad") end)
sys.subscribe("X", function() print("next subscriber") end)
sys.publish("X", 1)
sys.publish("Y")
sys.subscribe("Y", function() print("next message") end)
)"),
            "next subscriber\nnext message\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0].substr(0, host_.lines[0].find('\n')),
            "0.000 [ERROR] sys: subscriber (ex.lua:2) for message \"X\" failed: ex.lua:2: bad");
  EXPECT_NE(host_.lines[0].find("stack traceback:"), std::string::npos);
}

TEST_F(luabind_sys_messages, ManyWaitersOnOneIdAreAllReleased) {
  EXPECT_EQ(run(R"(
local n = 0
for i = 1, 1000 do sys.taskInit(function() sys.waitUntil("GO") n = n + 1 end) end
sys.timerStart(sys.publish, 5, "GO")
sys.timerStart(function() print(n, #sys.tasks()) end, 6)
)"),
            "1000\t0\n");
}

TEST_F(luabind_sys_messages, UniqueIdsDoNotAccumulate) {
  EXPECT_EQ(run(R"(
sys.taskInit(function()
  for i = 1, 3000 do
    sys.publish("id" .. i, i)
    local ok, v = sys.waitUntil("id" .. i)
    assert(ok and v == i)
  end
  print("done")
end)
)"),
            "done\n");
}

}  // namespace
}  // namespace luasys::testing
