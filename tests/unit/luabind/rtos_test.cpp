// The rtos module (spec §7; checklist 37, 39).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_rtos = LuaSysTest;

TEST_F(luabind_rtos, SpecExample) {
  EXPECT_EQ(run(R"(
print(rtos.version(), rtos.bsp(), rtos.timer_start(7, 30, 1), rtos.timer_start(8, 0))
rtos.timer_start(9, 5) rtos.timer_stop(9)
print(rtos.receive(rtos.INF_TIMEOUT))
print(rtos.receive(-1))
print(rtos.receive(10), sys.now())
local total, used, max = rtos.meminfo()
local s = rtos.stats()
print(total, used > 0, max >= used, s.dropped, s.bus_slots, s.timers, s.max_timers)
)"),
            "LuaSys-1.0.0\tPC\t1\t0\n1\t7\t1\n1\t7\t0\n-1\t70\n0\ttrue\ttrue\t0\t256\t0\t0\n");
}

TEST_F(luabind_rtos, VersionWithMoreAndMeminfoKinds) {
  EXPECT_EQ(run(R"(
print(rtos.version(true))
print(rtos.meminfo("sys"))
print(rtos.meminfo("psram"))
print(pcall(rtos.meminfo, "x"))
)"),
            "LuaSys-1.0.0\t10000\t64\n0\t0\t0\n0\t0\t0\n"
            "false\tbad argument #1 to 'rtos.meminfo' (invalid option 'x')\n");
}

TEST_F(luabind_rtos, ReceiveErrors) {
  EXPECT_EQ(run(R"(
print(pcall(rtos.receive, -1))
sys.taskInit(function() sys.wait(1) print(pcall(rtos.receive, 5)) end)
sys.run()
)"),
            "false\trtos.receive: nothing can arrive (no rtos timers, no producers)\n"
            "false\trtos.receive: cannot be called while sys.run is running\n");
}

TEST_F(luabind_rtos, TimersDoNotKeepSysRunAliveAndCountAgainstTheLimit) {
  start(LoopOptions{.max_timers = 2});
  EXPECT_EQ(run(R"(
print(rtos.timer_start(1, 1000, -1), rtos.timer_start(2, 10), rtos.timer_start(3, 10))
print(sys.timerStart(print, 5, "x"))
print(rtos.timer_start(2, 20), rtos.timer_start(2, 1.5), rtos.timer_start(2, "x"))
sys.run()
print("run returned at", sys.now(), rtos.stats().timers)
rtos.timer_stop(1)
print(rtos.receive(25), sys.now())
print(rtos.receive(1))
)"),
            "1\t1\t0\nnil\ttimer limit reached (2)\n1\t0\t0\nrun returned at\t0\t2\n1\t20\n-1\n");
}

TEST_F(luabind_rtos, BusMessagesArriveThroughReceive) {
  Message message;
  message.id = std::string("SENSOR");
  message.args[0] = std::int64_t{21};
  message.args[1] = StaticText("c");
  message.argc = 2;
  ASSERT_TRUE(runtime_->bus().try_post(message));
  EXPECT_EQ(run("print(rtos.receive(100))\nprint(rtos.stats().posted)\n"), "SENSOR\t21\tc\n1\n");
}

TEST_F(luabind_rtos, RebootLogsRunsHooksAndAsksTheHost) {
  EXPECT_EQ(run(R"(
sys.onShutdown(function() print("hook") end)
sys.timerStart(function() rtos.reboot("update") print("not reached") end, 10)
sys.timerStart(print, 20, "not reached either")
)"),
            "hook\n");
  EXPECT_EQ(host_.reboots, 1);
  EXPECT_EQ(host_.reboot_reason, "update");
  EXPECT_EQ(runtime_->stop_reason(), StopReason::Reboot);
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0], "0.010 [WARN] rtos: reboot (update)");
}

TEST_F(luabind_rtos, CoroutineErrorRestartReboots) {
  EXPECT_EQ(run(R"(
COROUTINE_ERROR_RESTART = true
sys.onShutdown(function() print("saving") end)
sys.taskInit(function() sys.wait(5) error("fatal") end)
sys.timerStart(print, 10, "never")
)"),
            "saving\n");
  EXPECT_EQ(host_.reboot_reason, "error");
  ASSERT_EQ(host_.lines.size(), 2u);
  EXPECT_EQ(host_.lines[1], "0.005 [WARN] rtos: reboot (error)");
}

}  // namespace
}  // namespace luasys::testing
