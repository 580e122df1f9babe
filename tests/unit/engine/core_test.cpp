// er.core and er.rules: definitions, dispatch, runs, waits, posts, rule state.

#include "engine_fixture.h"

namespace er::testing {
namespace {

class CoreTest : public EngineTest {
 protected:
  void SetUp() override { ASSERT_TRUE(engine_->ok()) << engine_->boot_error(); }
};

// The suite is named <part>_<module> (docs/testing.md).
using engine_core = CoreTest;

TEST_F(engine_core, ScriptReturnsItsValue) {
  EXPECT_EQ(lua("return er.eval('return 1 + 2')"), "3");
  EXPECT_EQ(lua("return er.eval('x = 5')"), "5");
  EXPECT_EQ(lua("er.eval('x = 5') return er.eval('x += 2; return x')"), "7");
}

TEST_F(engine_core, UndefinedVariableIsARuntimeErrorOfTheScript) {
  EXPECT_EQ(lua("return select(2, er.eval('return fopp()'))"),
            "[eval] eval:1:8: runtime error: Undefined variable: 'fopp'\nreturn fopp()\n       ^");
}

TEST_F(engine_core, TriggerVariableStartsARun) {
  lua("er.triggerVar('x', 0)");
  EXPECT_EQ(lua("return tostring(er.eval('x > 5 => y = x', {name = 'big'}))"), "big");
  EXPECT_TRUE(logged("[big] defined: x > 5 => y = x")) << all_logs();
  lua("er.vars.x = 7");
  advance(0);
  EXPECT_EQ(lua("return er.vars.y"), "7");
}

TEST_F(engine_core, RuleWithoutTriggersIsACompileError) {
  EXPECT_EQ(lua("return select(2, er.eval('x > 5 => log(x)'))"),
            "eval:1:1: error: Rule has no triggers: x > 5\nx > 5 => log(x)\n^\n");
}

TEST_F(engine_core, EventPatternBindsCaptures) {
  lua("er.eval([[#alarm{zone='$z', level='$l>2'} => result = z ++ l]])");
  lua("er.post({type = 'alarm', zone = 'hall', level = 1})");
  advance(0);
  EXPECT_EQ(lua("return er.vars.result"), "nil");
  lua("er.post({type = 'alarm', zone = 'hall', level = 3})");
  advance(0);
  EXPECT_EQ(lua("return er.vars.result"), "hall3");
}

TEST_F(engine_core, WaitSuspendsTheRunOnTheVirtualClock) {
  lua("er.eval([[#go => n = 1; wait(10); n = 2]])");
  lua("er.post({type = 'go'})");
  advance(0);
  EXPECT_EQ(lua("return er.vars.n"), "1");
  advance(9'999);
  EXPECT_EQ(lua("return er.vars.n"), "1");
  advance(1);
  EXPECT_EQ(lua("return er.vars.n"), "2");
}

TEST_F(engine_core, DisableCancelsSuspendedRuns) {
  lua("r = er.eval([[#go => n = 1; wait(10); n = 2]])");
  lua("er.post({type = 'go'})");
  advance(0);
  lua("r:disable()");
  advance(20'000);
  EXPECT_EQ(lua("return er.vars.n"), "1");
  EXPECT_EQ(lua("return r:info().runs"), "0");
}

TEST_F(engine_core, RuntimeErrorAfterWaitDisablesOnlyThatRule) {
  lua("er.eval([[#go => wait(1); log(lampp)]], {name = 'bad'})");
  lua("er.eval([[#go => ok = true]], {name = 'good'})");
  lua("er.post({type = 'go'})");
  advance(2'000);
  EXPECT_TRUE(logged("[bad] bad:1:21: runtime error: Undefined variable: 'lampp'")) << all_logs();
  EXPECT_TRUE(logged("[bad] disabled"));
  EXPECT_EQ(lua("return er.getRule('bad').enabled"), "false");
  EXPECT_EQ(lua("return er.vars.ok"), "true");
}

TEST_F(engine_core, InfiniteLoopExhaustsTheInstructionBudget) {
  lua("er.eval([[#go => while true do end]], {name = 'spin'})");
  lua("er.eval([[#go => after = true]], {name = 'after'})");
  lua("er.post({type = 'go'})");
  advance(0);
  EXPECT_TRUE(logged("[spin] spin:1:8: runtime error: instruction budget exceeded")) << all_logs();
  EXPECT_TRUE(logged("instruction budget exceeded")) << all_logs();
  EXPECT_EQ(lua("return er.vars.after"), "true");
}

TEST_F(engine_core, TrueForFiresAfterTheConditionHeldAndAgainRepeats) {
  lua("er.triggerVar('open', false)");
  lua("er.eval([[trueFor(00:10, open) => n = again(3)]])");
  lua("er.vars.open = true");
  advance(0);
  advance(600'000);
  EXPECT_EQ(lua("return er.vars.n"), "1");
  advance(600'000);
  EXPECT_EQ(lua("return er.vars.n"), "2");
  advance(600'000);
  EXPECT_EQ(lua("return er.vars.n"), "3");
  advance(1'200'000);
  EXPECT_EQ(lua("return er.vars.n"), "3");
}

TEST_F(engine_core, FunctionsQueuedForThePassEndRunOnceInOrderPastAnError) {
  run("calls = {}\n"
      "E.native.at_pass_end(function() calls[#calls + 1] = 'a' end)\n"
      "E.native.at_pass_end(function() error('boom') end)\n"
      "E.native.at_pass_end(function() calls[#calls + 1] = 'b'\n"
      "  E.native.at_pass_end(function() calls[#calls + 1] = 'next pass' end) end)");
  EXPECT_EQ(run("return #calls"), "0");
  advance(0);
  EXPECT_EQ(run("return table.concat(calls, ',')"), "a,b");
  EXPECT_TRUE(logged("end of pass:"));
  EXPECT_TRUE(logged("boom"));
  advance(0);
  EXPECT_EQ(run("return table.concat(calls, ',')"), "a,b,next pass");
  advance(0);
  EXPECT_EQ(run("return #calls"), "3");
}

}  // namespace
}  // namespace er::testing
