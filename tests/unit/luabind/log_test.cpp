// The log module (spec §8).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_log = LuaSysTest;

TEST_F(luabind_log, SpecExample) {
  EXPECT_EQ(run(R"(
log.info("main", "hello", 42, nil, true)
log.setLevel("WARN")
log.info("main", "hidden")
log.style(1)
log.warn("net", "retry")
print(log.getLevel())
)"),
            "3\n");
  EXPECT_EQ(host_.log(),
            "0.000 [INFO] main: hello 42 nil true\n0.000 [WARN] net: [ex.lua:6] retry\n");
}

TEST_F(luabind_log, LinesUseTheLoopClockAndEndAtTheColonWithoutArguments) {
  run(R"(
sys.timerStart(function() log.debug("t") log.error(7, {}) end, 1234)
)");
  ASSERT_EQ(host_.lines.size(), 2u);
  EXPECT_EQ(host_.lines[0], "1.234 [DEBUG] t:");
  EXPECT_EQ(host_.lines[1].rfind("1.234 [ERROR] 7: table: ", 0), 0u);
}

TEST_F(luabind_log, LevelsByNameAnyCaseOrNumber) {
  EXPECT_EQ(run(R"(
log.setLevel("error") print(log.getLevel())
log.setLevel(log.LOG_INFO) print(log.getLevel())
log.setLevel("Silent") print(log.getLevel())
log.error("x", "silent")
print(log.LOG_SILENT, log.LOG_DEBUG, log.LOG_INFO, log.LOG_WARN, log.LOG_ERROR)
print(pcall(log.setLevel, "LOUD"))
print(pcall(log.setLevel, 9))
)"),
            "4\n2\n0\n0\t1\t2\t3\t4\n"
            "false\tbad argument #1 to 'log.setLevel' (invalid option 'LOUD')\n"
            "false\tbad argument #1 to 'log.setLevel' (invalid option '9')\n");
  EXPECT_TRUE(host_.lines.empty());
}

TEST_F(luabind_log, MissingTagRaises) {
  EXPECT_EQ(run("print(select(2, pcall(function() log.info() end)))\n"),
            "ex.lua:1: bad argument #1 to 'info' (string expected, got no value)\n");
}

TEST_F(luabind_log, StyleTwoAlsoShowsThePlaceAndZeroTurnsItOff) {
  run("log.style(2)\nlog.info('a', 1)\nlog.style(0)\nlog.info('b', 2)\n");
  EXPECT_EQ(host_.log(), "0.000 [INFO] a: [ex.lua:2] 1\n0.000 [INFO] b: 2\n");
}

TEST_F(luabind_log, InitialLevelComesFromTheOptions) {
  start(LoopOptions{.log_level = 3});
  EXPECT_EQ(run("log.info('x', 'hidden') log.warn('x', 'shown') print(log.getLevel())\n"), "3\n");
  EXPECT_EQ(host_.log(), "0.000 [WARN] x: shown\n");
}

TEST_F(luabind_log, SysErrorsRespectTheLevel) {
  run("log.setLevel('SILENT')\nsys.taskInit(function() error('quiet') end)\n");
  EXPECT_TRUE(host_.lines.empty());
}

}  // namespace
}  // namespace luasys::testing
