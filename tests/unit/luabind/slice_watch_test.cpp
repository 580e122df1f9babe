// Runaway protection: a slice that runs past LoopOptions::slice_limit_ms is interrupted
// by the watchdog, whatever it runs, and the loop goes on; interrupt_and_stop() ends
// a busy run at once. Real threads and real time (a short limit), virtual loop clock.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "luasys_fixture.h"
#include "port/linux_watchdog.h"

namespace luasys::testing {
namespace {

constexpr Millis kLimit = 100;

class SliceWatchTest : public LuaSysTest {
 protected:
  void SetUp() override {
    LoopOptions options;
    options.slice_limit_ms = kLimit;
    options.stop_grace_ms = 50;
    start(options);
    watchdog_ = std::make_unique<LinuxWatchdog>(*runtime_, port_, 20);
  }
  void TearDown() override { watchdog_.reset(); }

  // Runs `code`, expecting one "run time limit exceeded" report and "after" printed
  // by a timer that fires once the runaway was interrupted (the loop went on).
  void expect_interrupted(const std::string& code) {
    const std::string out = run(code + "\nsys.timerStart(function() print('after') end, 5)\n");
    EXPECT_EQ(out, "after\n");
    EXPECT_NE(host_.log().find("run time limit exceeded (100 ms without yielding)"),
              std::string::npos)
        << host_.log();
  }

  std::unique_ptr<LinuxWatchdog> watchdog_;
};

// The suite is named <part>_<module> (docs/testing.md).
using luabind_slice_watch = SliceWatchTest;

TEST_F(luabind_slice_watch, PlainLoopInATaskIsInterruptedAndReportedAsATaskError) {
  expect_interrupted("sys.taskInitNamed('busy', function() sys.wait(1) while true do end end)");
  EXPECT_NE(host_.log().find("task \"busy\" failed: ex.lua:1: run time limit exceeded"),
            std::string::npos)
      << host_.log();
}

TEST_F(luabind_slice_watch, LoopBeforeTheFirstWaitIsInterrupted) {
  expect_interrupted("sys.taskInit(function() while true do end end)");
}

TEST_F(luabind_slice_watch, PcallCannotSwallowTheInterrupt) {
  expect_interrupted(R"(sys.taskInit(function()
    sys.wait(1)
    while true do pcall(function() while true do end end) end
  end))");
}

TEST_F(luabind_slice_watch, XpcallWithAHandlerCannotSwallowIt) {
  expect_interrupted(R"(sys.taskInit(function()
    sys.wait(1)
    while true do xpcall(function() while true do end end, function(e) return e end) end
  end))");
}

TEST_F(luabind_slice_watch, CoroutineResumedByTheTaskIsInterrupted) {
  expect_interrupted(R"(sys.taskInit(function()
    sys.wait(1)
    local co = coroutine.create(function() while true do end end)
    while true do coroutine.resume(co) end
  end))");
}

TEST_F(luabind_slice_watch, CoroutineWrapIsInterrupted) {
  expect_interrupted(R"(sys.taskInit(function()
    sys.wait(1)
    local f = coroutine.wrap(function() local x = 0 while true do x = x + 1 end end)
    pcall(f)
    while true do end
  end))");
}

TEST_F(luabind_slice_watch, ClearingHooksDoesNotHelp) {
  expect_interrupted(R"(sys.taskInit(function()
    sys.wait(1)
    while true do debug.sethook() end
  end))");
}

TEST_F(luabind_slice_watch, PathologicalStringPatternIsInterrupted) {
  expect_interrupted(R"(sys.taskInitNamed('match', function()
    sys.wait(1)
    local r = ('a'):rep(1e5):match('.-.-.-.-.-b')
  end))");
  EXPECT_NE(host_.log().find("task \"match\" failed: ex.lua:3: run time limit exceeded"),
            std::string::npos)
      << host_.log();
}

TEST_F(luabind_slice_watch, ExponentialPatternInGsubIsInterrupted) {
  expect_interrupted(R"(sys.timerStart(function()
    pcall(string.gsub, ('a'):rep(300), ('a?'):rep(199) .. 'b', 'x')
    while true do end
  end, 1))");
}

TEST_F(luabind_slice_watch, TimerCallbackIsInterrupted) {
  expect_interrupted("sys.timerStart(function() while true do end end, 1)");
}

TEST_F(luabind_slice_watch, SubscriberIsInterrupted) {
  expect_interrupted(R"(sys.subscribe("X", function() while true do end end)
    sys.publish("X"))");
}

TEST_F(luabind_slice_watch, ManyShortSlicesAreNotInterrupted) {
  // 30 passes of 10 ms each: 300 ms of busy work in all, never 100 ms in one slice.
  const std::string out = run(R"(sys.taskInit(function()
    for i = 1, 30 do
      local t = os.clock() while os.clock() - t < 0.01 do end
      sys.wait(0)
    end
    print("done")
  end))");
  EXPECT_EQ(out, "done\n");
  EXPECT_EQ(host_.log().find("limit exceeded"), std::string::npos) << host_.log();
}

TEST_F(luabind_slice_watch, MainChunkIsNotASlice) {
  const std::string out = run(R"(local t = os.clock() while os.clock() - t < 0.3 do end
    print("done"))");
  EXPECT_EQ(out, "done\n");
  EXPECT_EQ(result_.status, CallResult::Status::Ok);
}

TEST_F(luabind_slice_watch, InterruptAndStopEndsABusyTaskAndTheRun) {
  std::atomic<bool> done{false};
  std::thread stopper([this, &done] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    runtime_->interrupt_and_stop();
    done = true;
  });
  const std::string out = run(R"(sys.onShutdown(function() print("hook") end)
    sys.taskInit(function() sys.wait(1) while true do pcall(function() while true do end end) end end)
    sys.run()
    print("not reached"))");
  stopper.join();
  EXPECT_EQ(out, "");
  runtime_->run_shutdown_hooks();
  EXPECT_TRUE(done);
  EXPECT_EQ(output_, "hook\n");
  EXPECT_EQ(runtime_->stop_reason(), StopReason::Stopped);
  EXPECT_EQ(result_.status, CallResult::Status::Stopped);
  EXPECT_EQ(host_.log(), "");
}

TEST_F(luabind_slice_watch, InterruptAndStopEndsABusyMainChunk) {
  std::thread stopper([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    runtime_->interrupt_and_stop();
  });
  run("while true do end");
  stopper.join();
  EXPECT_EQ(result_.status, CallResult::Status::Stopped);
  EXPECT_EQ(runtime_->stop_reason(), StopReason::Stopped);
}

// protected_runner (the engine's rule runs): the interrupt ends at the boundary, the
// caller's code goes on in the same slice, and each call gets a window of its own.
TEST_F(luabind_slice_watch, ProtectedRunnerEndsTheInterruptAtItsBoundary) {
  lua_pushcfunction(runtime_->lua(), protected_runner);
  lua_setglobal(runtime_->lua(), "protected_runner");
  const std::string out = run(R"(sys.taskInit(function()
    sys.wait(1)
    local handled = false
    local run = protected_runner(function(e) handled = true; return e end)
    local ok, err = run(function()
      while true do pcall(function() while true do end end) end
    end)
    print(ok, (tostring(err):gsub("^.-: ", "")), handled)
    -- The caller goes on; short work (a fifth of the limit, with room for a loaded
    -- machine) is not interrupted in the windows that follow.
    local t0 = os.clock()
    while os.clock() - t0 < 0.02 do end
    ok = run(function() local t = os.clock() while os.clock() - t < 0.02 do end end)
    print("after", ok)
  end))");
  EXPECT_EQ(out, "false\trun time limit exceeded (100 ms without yielding)\tfalse\nafter\ttrue\n") << host_.log();
  EXPECT_EQ(host_.log().find("failed"), std::string::npos) << host_.log();
}

TEST_F(luabind_slice_watch, ProtectedRunnerCallsTheHandlerForOtherErrorsAndMayYield) {
  lua_pushcfunction(runtime_->lua(), protected_runner);
  lua_setglobal(runtime_->lua(), "protected_runner");
  const std::string out = run(R"(sys.taskInit(function()
    print(protected_runner(print)(function(a) sys.wait(5) return a + 1 end, 1))
    print(protected_runner(function(e) return "handled " .. e end)(function() error("boom", 0) end))
  end))");
  EXPECT_EQ(out, "true\t2\nfalse\thandled boom\n");
}

}  // namespace
}  // namespace luasys::testing
