// The built-in functions of spec §11 (rules/lua/er/builtins.lua) and the value helpers
// of rules/lua/er/util.lua (JSON, the canonical form), called directly on a booted
// engine. Results are compared in the canonical form, which itself is pinned by the
// Canonical* tests against hand-written text.

#include <string>
#include <string_view>

#include "engine_fixture.h"

namespace {

// Runs `code` (argument 1) as a chunk named "er:test" whose globals are E.G, the
// table built-ins are read from; returns the canonical form of its first result, or
// "error: <message>" (the message as raised, position prefix included).
constexpr const char* kRunner = R"lua(
  local code = ...
  local E = require("er.engine").E
  local chunk = assert(load(code, "=er:test", "t", E.G))
  local ok, value = pcall(chunk)
  if not ok then return "error: " .. tostring(value) end
  return E.util.canonical(value)
)lua";

class BuiltinsTest : public er::testing::EngineTest {
 protected:
  void SetUp() override { ASSERT_TRUE(engine_->ok()) << engine_->boot_error(); }

  // The canonical form of the value of a Lua chunk run with the built-ins as globals.
  std::string run(std::string_view code) {
    lua_State* L = engine_->lua();
    if (luaL_loadstring(L, kRunner) != LUA_OK) return lua_tostring(L, -1);
    lua_pushlstring(L, code.data(), code.size());
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      std::string message = lua_tostring(L, -1);
      lua_pop(L, 1);
      return "runner failed: " + message;
    }
    std::string result = lua_tostring(L, -1);
    lua_pop(L, 1);
    return result;
  }

  // The same for one expression. The parentheses keep the call from being a tail
  // call, so an error raised at level 2 names the line of this chunk, as in a rule.
  std::string eval(std::string_view expression) {
    return run("return (" + std::string(expression) + ")");
  }
};

// ---------------------------------------------------------------------------------
// The examples of spec §11, in table order.

// The suite is named <part>_<module> (docs/testing.md).
using engine_builtins = BuiltinsTest;

TEST_F(engine_builtins, LogFormatsAndReturnsTheMessage) {
  EXPECT_EQ(eval(R"(log("%s is %d", "x", 5))"), R"("x is 5")");
  EXPECT_EQ(eval("log({a=1})"), R"("{\"a\":1}")");
  ASSERT_EQ(host_.lines.size(), 2u);
  EXPECT_EQ(host_.lines[0], "x is 5");
  EXPECT_EQ(host_.lines[1], R"({"a":1})");
}

TEST_F(engine_builtins, LogWithOneArgumentDoesNotFormat) {
  EXPECT_EQ(eval(R"(log("100%"))"), R"("100%")");
  EXPECT_EQ(eval("log(42)"), R"("42")");
  EXPECT_EQ(eval("log(nil)"), R"("nil")");
  EXPECT_EQ(eval("log(4.0)"), R"("4.0")");
}

TEST_F(engine_builtins, LogEncodesTableArgumentsAsJson) {
  EXPECT_EQ(eval(R"(log("t=%s n=%d", {1, 2}, 3))"), R"("t=[1,2] n=3")");
  EXPECT_EQ(eval(R"(log("%s", {}))"), R"("[]")");
}

TEST_F(engine_builtins, LogUsesTostringOfTablesThatHaveIt) {
  EXPECT_EQ(eval("log(BREAK)"), R"("BREAK")");
  EXPECT_EQ(eval(R"(log(setmetatable({}, {__tostring = function() return "lamp" end})))"),
            R"("lamp")");
}

TEST_F(engine_builtins, LogFallsBackToTheCanonicalFormForWhatJsonCannotHold) {
  EXPECT_EQ(eval("log({f = print, n = 1})"), R"("{f = <function>, n = 1}")");
}

TEST_F(engine_builtins, LogFormatErrorsNameLog) {
  EXPECT_EQ(eval(R"(log("%d", "x"))"),
            "error: er:test:1: bad argument #2 to 'log' (number expected, got string)");
  EXPECT_EQ(eval(R"(fmt("%d", {}))"),
            "error: er:test:1: bad argument #2 to 'fmt' (number expected, got string)");
}

TEST_F(engine_builtins, FmtFormatsWithoutLogging) {
  EXPECT_EQ(eval(R"(fmt("%03d", 7))"), R"("007")");
  EXPECT_EQ(eval(R"(fmt({b = true}))"), R"("{\"b\":true}")");
  EXPECT_TRUE(host_.lines.empty());
}

TEST_F(engine_builtins, PrintWritesTabSeparatedToTheEngineLog) {
  EXPECT_EQ(eval(R"(print("a", 1, nil, 2.5, true))"), "nil");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0], "a\t1\tnil\t2.5\ttrue");
}

TEST_F(engine_builtins, JsonEncodeSortsKeys) {
  EXPECT_EQ(eval("json.encode({b=1,a=2})"), R"("{\"a\":2,\"b\":1}")");
}

TEST_F(engine_builtins, JsonDecodeIsTheInverse) {
  EXPECT_EQ(eval(R"(json.decode('{"a":2,"b":[1,"x"]}'))"), R"({a = 2, b = {1, "x"}})");
}

TEST_F(engine_builtins, RndOfAOneValueIntervalIsThatValue) { EXPECT_EQ(eval("rnd(3, 3)"), "3"); }

TEST_F(engine_builtins, RoundIsFloorOfXPlusHalf) {
  EXPECT_EQ(eval("round(2.5)"), "3");
  EXPECT_EQ(eval("round(-2.5)"), "-2");
  EXPECT_EQ(eval("round(2.49)"), "2");
  EXPECT_EQ(eval("round(7)"), "7");
  EXPECT_EQ(eval("math.type(round(2.5))"), R"("integer")");
}

TEST_F(engine_builtins, SignIsMinusOneZeroOrOne) {
  EXPECT_EQ(eval("sign(-3)"), "-1");
  EXPECT_EQ(eval("sign(0)"), "0");
  EXPECT_EQ(eval("sign(0.25)"), "1");
  EXPECT_EQ(eval("sign(-0.0)"), "0");
}

TEST_F(engine_builtins, SumAverageMinMax) {
  EXPECT_EQ(eval("sum(1,2,3)"), "6");
  EXPECT_EQ(eval("average({2,4})"), "3.0");
  EXPECT_EQ(eval("min(3,1,2)"), "1");
  EXPECT_EQ(eval("max({3,1,2})"), "3");
}

TEST_F(engine_builtins, SumAverageMinMaxOfNothing) {
  EXPECT_EQ(eval("sum()"), "0");
  EXPECT_EQ(eval("sum({})"), "0");
  EXPECT_EQ(eval("average()"), "nil");
  EXPECT_EQ(eval("average({})"), "nil");
  EXPECT_EQ(eval("min()"), "nil");
  EXPECT_EQ(eval("max({})"), "nil");
}

TEST_F(engine_builtins, SumKeepsIntegerAndFloatSubtypes) {
  EXPECT_EQ(eval("sum(1, 2.5)"), "3.5");
  EXPECT_EQ(eval("sum({1.5, 1.5})"), "3.0");
  EXPECT_EQ(eval("average(5)"), "5.0");
  EXPECT_EQ(eval("max(1, 2.5, 2)"), "2.5");
}

TEST_F(engine_builtins, SizeOfTablesAndStrings) {
  EXPECT_EQ(eval("size({1,2,3})"), "3");
  EXPECT_EQ(eval(R"(size("ab"))"), "2");
  EXPECT_EQ(eval("size({})"), "0");
}

TEST_F(engine_builtins, SizeOfAnythingElseIsAnError) {
  EXPECT_EQ(eval("size(5)"), "error: er:test:1: size: expected a table or string, got number");
  EXPECT_EQ(eval("size(nil)"), "error: er:test:1: size: expected a table or string, got nil");
  EXPECT_EQ(eval("size(true)"),
            "error: er:test:1: size: expected a table or string, got boolean");
}

TEST_F(engine_builtins, AddeAppendsInPlace) {
  EXPECT_EQ(eval("adde({1}, 2)"), "{1, 2}");
  EXPECT_EQ(run("local t = {} local r = adde(t, 'x') return r == t and t[1] == 'x'"), "true");
  EXPECT_EQ(eval("adde(nil, 1)"), "error: er:test:1: adde: expected a table, got nil");
}

TEST_F(engine_builtins, RemoveDropsEveryEqualElementAndCompacts) {
  EXPECT_EQ(eval("remove({1,2,1,3}, 1)"), "{2, 3}");
  EXPECT_EQ(eval("remove({1,1,1}, 1)"), "{}");
  EXPECT_EQ(eval("remove({'a','b'}, 'c')"), R"({"a", "b"})");
  EXPECT_EQ(run("local t = {5, 6, 5} remove(t, 5) return {#t, t[1], t[2]}"), "{1, 6}");
}

TEST_F(engine_builtins, SortSortsInPlace) {
  EXPECT_EQ(eval("sort({3,1,2})"), "{1, 2, 3}");
  EXPECT_EQ(eval("sort({3,1,2}, function(a, b) return a > b end)"), "{3, 2, 1}");
  EXPECT_EQ(run("local t = {2, 1} return sort(t) == t"), "true");
}

TEST_F(engine_builtins, MapFilterReduce) {
  EXPECT_EQ(eval("map({1,2}, function(x) return x * 10 end)"), "{10, 20}");
  EXPECT_EQ(eval("filter({1,2,3}, function(x) return x > 1 end)"), "{2, 3}");
  EXPECT_EQ(eval("reduce({1,2,3}, function(a, b) return a + b end, 0)"), "6");
}

TEST_F(engine_builtins, MapFilterReduceUseTheArrayPartAndReturnNewLists) {
  EXPECT_EQ(eval("map({1, 2, x = 3}, function(v) return v + 1 end)"), "{2, 3}");
  EXPECT_EQ(eval("map({1, 2, 3}, function(v) if v ~= 2 then return v end end)"), "{1, 3}");
  EXPECT_EQ(run("local t = {1} return map(t, function(v) return v end) ~= t"), "true");
  EXPECT_EQ(eval("reduce({}, function(a, b) return a + b end, 7)"), "7");
  EXPECT_EQ(eval("reduce({'a', 'b'}, function(a, b) return a .. b end, '>')"), R"(">ab")");
  EXPECT_EQ(eval("filter(3, print)"), "error: er:test:1: filter: expected a table, got number");
}

TEST_F(engine_builtins, BreakAndCatchAreUniqueConstantsSharedWithTheEngine) {
  EXPECT_EQ(eval("BREAK"), "BREAK");
  EXPECT_EQ(eval("catch"), "catch");
  EXPECT_EQ(run("local E = require('er.engine').E "
                "return E.BREAK == BREAK and E.catch == catch and BREAK ~= catch"),
            "true");
  EXPECT_EQ(eval("tostring(BREAK)"), R"("BREAK")");
}

// ---------------------------------------------------------------------------------
// rnd: seedable and independent of math.random.

TEST_F(engine_builtins, RndStaysInsideItsInterval) {
  EXPECT_EQ(run("for i = 1, 2000 do local r = rnd(-2, 2) "
                "if r < -2 or r > 2 or math.type(r) ~= 'integer' then return r end end "
                "return 'ok'"),
            R"("ok")");
  EXPECT_EQ(run("for i = 1, 200 do local r = rnd(4) if r < 1 or r > 4 then return r end end "
                "return 'ok'"),
            R"("ok")");
  EXPECT_EQ(run("for i = 1, 200 do local r = rnd() if r < 0 or r >= 1 then return r end end "
                "return math.type(rnd())"),
            R"("float")");
}

TEST_F(engine_builtins, RndReachesEveryValueOfASmallInterval) {
  EXPECT_EQ(run("local seen = {} for i = 1, 600 do seen[rnd(1, 6)] = true end "
                "return {seen[1], seen[2], seen[3], seen[4], seen[5], seen[6]}"),
            "{true, true, true, true, true, true}");
}

TEST_F(engine_builtins, RndRepeatsItsSequenceForTheSameSeed) {
  EXPECT_EQ(run("local E = require('er.engine').E "
                "E.set_seed(42) local a = {rnd(1, 1000000), rnd(1, 1000000), rnd()} "
                "E.set_seed(42) math.random(1, 10) "
                "local b = {rnd(1, 1000000), rnd(1, 1000000), rnd()} "
                "return a[1] == b[1] and a[2] == b[2] and a[3] == b[3]"),
            "true");
}

TEST_F(engine_builtins, RndDiffersBetweenSeeds) {
  EXPECT_EQ(run("local E = require('er.engine').E local function draw(seed) "
                "E.set_seed(seed) local t = {} for i = 1, 8 do t[i] = rnd(1, 1000000) end "
                "return table.concat(t, ',') end "
                "return draw(1) ~= draw(2) and draw('home') ~= draw('house') "
                "and draw(1.5) ~= draw(2.5) and draw(7) == draw(7)"),
            "true");
}

TEST_F(engine_builtins, RndCoversTheWholeIntegerRange) {
  EXPECT_EQ(run("local r = rnd(math.mininteger, math.maxinteger) return math.type(r)"),
            R"("integer")");
}

TEST_F(engine_builtins, RndRejectsBadArguments) {
  EXPECT_EQ(eval("rnd(5, 1)"), "error: er:test:1: rnd: empty interval [5, 1]");
  EXPECT_EQ(eval("rnd(1.5)"),
            "error: er:test:1: bad argument #1 to 'rnd' (number has no integer representation)");
  EXPECT_EQ(eval("rnd(1, 'x')"),
            "error: er:test:1: bad argument #2 to 'rnd' (number expected, got string)");
  EXPECT_EQ(eval("rnd(2.0, 2)"), "2");
}

TEST_F(engine_builtins, ResetRestoresTheDefaultSeed) {
  EXPECT_EQ(run("local E = require('er.engine').E E.reset() local a = rnd(1, 1000000) "
                "rnd() rnd() E.reset() return a == rnd(1, 1000000)"),
            "true");
}

// ---------------------------------------------------------------------------------
// util.json_encode

TEST_F(engine_builtins, JsonEncodeScalars) {
  EXPECT_EQ(eval("json.encode(nil)"), R"("null")");
  EXPECT_EQ(eval("json.encode(true)"), R"("true")");
  EXPECT_EQ(eval("json.encode(3)"), R"("3")");
  EXPECT_EQ(eval("json.encode(3.0)"), R"("3.0")");
  EXPECT_EQ(eval("json.encode(-0.5)"), R"("-0.5")");
  EXPECT_EQ(eval("json.encode(1e20)"), R"("1e+20")");
  EXPECT_EQ(eval("json.encode(math.mininteger)"), R"("-9223372036854775808")");
}

TEST_F(engine_builtins, JsonEncodeEscapesStrings) {
  EXPECT_EQ(run(R"(return json.encode("a\"b\\c/\n\r\t\b\f\1\31é"))"),
            R"("\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001fé\"")");
}

TEST_F(engine_builtins, JsonEncodeFastIsEncode) {
  EXPECT_EQ(eval("json.encodeFast({b = 1, a = {2}})"), R"("{\"a\":[2],\"b\":1}")");
}

TEST_F(engine_builtins, JsonEncodeArraysAndObjects) {
  EXPECT_EQ(eval("json.encode({})"), R"("[]")");
  EXPECT_EQ(eval("json.encode({1, 'a', {}, {x = false}})"), R"("[1,\"a\",[],{\"x\":false}]")");
  EXPECT_EQ(eval("json.encode({[1] = 'a', [3] = 'c'})"), R"("{\"1\":\"a\",\"3\":\"c\"}")");
  EXPECT_EQ(eval("json.encode({1, 2, n = 2})"), R"("{\"1\":1,\"2\":2,\"n\":2}")");
  EXPECT_EQ(eval("json.encode({Z = 1, a = 2, B = 3})"), R"("{\"B\":3,\"Z\":1,\"a\":2}")");
  EXPECT_EQ(eval("json.encode({[1.5] = true})"), R"("{\"1.5\":true}")");
}

TEST_F(engine_builtins, JsonEncodeAllowsSharedButNotCyclicTables) {
  EXPECT_EQ(run("local s = {1} return json.encode({a = s, b = s})"),
            R"("{\"a\":[1],\"b\":[1]}")");
  EXPECT_EQ(run("local t = {} t.self = t return json.encode(t)"),
            "error: json.encode: cannot encode a table that contains itself");
  EXPECT_EQ(run("local t = {{}} t[1][1] = t return json.encode(t)"),
            "error: json.encode: cannot encode a table that contains itself");
}

TEST_F(engine_builtins, JsonEncodeRejectsWhatJsonCannotHold) {
  EXPECT_EQ(eval("json.encode({f = print})"),
            "error: json.encode: cannot encode a value of type function");
  EXPECT_EQ(eval("json.encode({[true] = 1})"),
            "error: json.encode: cannot encode a table key of type boolean");
  EXPECT_EQ(eval("json.encode(math.huge)"), "error: json.encode: cannot encode the number inf");
  EXPECT_EQ(eval("json.encode({-math.huge})"),
            "error: json.encode: cannot encode the number -inf");
}

TEST_F(engine_builtins, JsonEncodeEscapesDeleteAndZeroBytes) {
  EXPECT_EQ(run(R"(return json.encode("a\127b\0c"))"), R"("\"a\\u007fb\\u0000c\"")");
}

TEST_F(engine_builtins, JsonEncodePrintsFloatsAsLuaDoes) {
  EXPECT_EQ(eval("json.encode({-0.0, 0.1, 1e100, 2^53, 1/3})"),
            R"("[-0.0,0.1,1e+100,9.007199254741e+15,0.33333333333333]")");
}

TEST_F(engine_builtins, JsonEncodeGivesKeysOfOneTextTheValueOfTheLastInTraversal) {
  // 1 and "1" print alike; both entries show one of the two values, never a mix.
  const std::string text = run("return json.encode({[1] = 'a', ['1'] = 'b', [2.5] = 'c'})");
  EXPECT_TRUE(text == R"("{\"1\":\"a\",\"1\":\"a\",\"2.5\":\"c\"}")" ||
              text == R"("{\"1\":\"b\",\"1\":\"b\",\"2.5\":\"c\"}")")
      << text;
}

TEST_F(engine_builtins, JsonEncodeRejectsTablesNestedTooDeep) {
  EXPECT_EQ(run("local t = {} local c = t for i = 1, 199 do c[1] = {} c = c[1] end "
                "return #json.encode(t)"),
            "400");
  EXPECT_EQ(run("local t = {} local c = t for i = 1, 200 do c[1] = {} c = c[1] end return json.encode(t)"),
            "error: json.encode: cannot encode tables nested deeper than 200");
}

// ---------------------------------------------------------------------------------
// util.json_decode

TEST_F(engine_builtins, JsonDecodeScalars) {
  EXPECT_EQ(eval("json.decode('null')"), "nil");
  EXPECT_EQ(eval("json.decode(' true ')"), "true");
  EXPECT_EQ(eval("json.decode('false')"), "false");
  EXPECT_EQ(eval("json.decode('12')"), "12");
  EXPECT_EQ(eval("json.decode('-0')"), "0");
  EXPECT_EQ(eval("json.decode('1.0')"), "1.0");
  EXPECT_EQ(eval("json.decode('2e2')"), "200.0");
  EXPECT_EQ(eval("json.decode('-1.5E-1')"), "-0.15");
  EXPECT_EQ(eval("json.decode('9007199254740993')"), "9007199254740993");
  EXPECT_EQ(eval("json.decode('12345678901234567890')"), "1.2345678901235e+19");
}

TEST_F(engine_builtins, JsonDecodeStrings) {
  EXPECT_EQ(run(R"(return json.decode('"a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00"'))"),
            "\"a\\\"b\\\\c/d\\n\\té😀\"");
  EXPECT_EQ(eval(R"(json.decode('""'))"), R"("")");
}

TEST_F(engine_builtins, JsonDecodeContainers) {
  EXPECT_EQ(eval("json.decode('[]')"), "{}");
  EXPECT_EQ(eval("json.decode('{}')"), "{}");
  EXPECT_EQ(eval(R"(json.decode(' { "a" : [ 1 , null , 3 ] , "b" : { "c" : {} } } '))"),
            "{a = {1, [3] = 3}, b = {c = {}}}");
  EXPECT_EQ(eval(R"(json.decode('{"a":1,"a":2}'))"), "{a = 2}");
}

TEST_F(engine_builtins, JsonRoundTrips) {
  EXPECT_EQ(run("local v = {n = 1, f = 2.5, s = 'x\\ny', l = {true, false, {}}, e = {}} "
                "local back = json.decode(json.encode(v)) "
                "return json.encode(back) == json.encode(v)"),
            "true");
}

TEST_F(engine_builtins, JsonDecodeErrorsSayWhatAndWhere) {
  EXPECT_EQ(eval(R"(json.decode('{"a" 1}'))"),
            "error: json.decode: expected ':', got '1' at line 1, column 6");
  EXPECT_EQ(eval("json.decode('[1,2')"),
            "error: json.decode: expected ',' or ']', got end of text at line 1, column 5");
  EXPECT_EQ(eval("json.decode('[1,\\n 2,]')"),
            "error: json.decode: expected a value, got ']' at line 2, column 4");
  EXPECT_EQ(eval(R"(json.decode('{"a":1}x'))"),
            "error: json.decode: unexpected 'x' after the value at line 1, column 8");
  EXPECT_EQ(eval("json.decode('')"),
            "error: json.decode: expected a value, got end of text at line 1, column 1");
  EXPECT_EQ(eval("json.decode('01')"), "error: json.decode: invalid number at line 1, column 1");
  EXPECT_EQ(eval("json.decode('1.')"), "error: json.decode: invalid number at line 1, column 1");
  EXPECT_EQ(eval("json.decode('-')"), "error: json.decode: invalid number at line 1, column 1");
  EXPECT_EQ(eval(R"(json.decode('"abc'))"),
            "error: json.decode: unfinished string at line 1, column 5");
  EXPECT_EQ(eval(R"(json.decode('"\\x"'))"),
            "error: json.decode: invalid escape '\\x' at line 1, column 2");
  EXPECT_EQ(eval(R"(json.decode('"\\ud800"'))"),
            "error: json.decode: expected a low surrogate '\\uDC00'..'\\uDFFF' at line 1, "
            "column 8");
  EXPECT_EQ(eval("json.decode('{1:2}')"),
            "error: json.decode: expected a string key, got '1' at line 1, column 2");
  EXPECT_EQ(eval("json.decode('nul')"),
            "error: json.decode: expected a value, got 'n' at line 1, column 1");
  EXPECT_EQ(eval("json.decode(5)"), "error: json.decode: expected a string, got number");
}

TEST_F(engine_builtins, JsonDecodeLimitsNesting) {
  EXPECT_EQ(eval("json.decode(string.rep('[', 400) .. string.rep(']', 400)) ~= nil"), "true");
  EXPECT_EQ(eval("json.decode(string.rep('[', 1000))"),
            "error: json.decode: nesting deeper than 500 at line 1, column 501");
}

// ---------------------------------------------------------------------------------
// util.canonical (the `eventrunner eval` form)

TEST_F(engine_builtins, CanonicalScalars) {
  EXPECT_EQ(run("return nil"), "nil");
  EXPECT_EQ(run("return false"), "false");
  EXPECT_EQ(run("return 42"), "42");
  EXPECT_EQ(run("return 4.0"), "4.0");
  EXPECT_EQ(run("return 1/0"), "inf");
  EXPECT_EQ(run("return -1/0"), "-inf");
  EXPECT_EQ(run("return 2^63"), "9.2233720368548e+18");
}

TEST_F(engine_builtins, CanonicalStringsAreLuaLiterals) {
  EXPECT_EQ(run(R"(return "plain")"), R"("plain")");
  EXPECT_EQ(run(R"(return "q\"b\\n\n\t\0001\127é")"), R"("q\"b\\n\n\t\0001\127é")");
}

TEST_F(engine_builtins, CanonicalTables) {
  EXPECT_EQ(run("return {}"), "{}");
  EXPECT_EQ(run("return {1, 2, {3}}"), "{1, 2, {3}}");
  EXPECT_EQ(run("return {type = 'alarm', zone = 3}"), R"({type = "alarm", zone = 3})");
  EXPECT_EQ(run("return {1, nil, 3}"), "{1, [3] = 3}");
  EXPECT_EQ(run("return {[10] = 'a', [-1] = 'b', [0.5] = 'c', 'd'}"),
            R"({"d", [-1] = "b", [0.5] = "c", [10] = "a"})");
  EXPECT_EQ(run("return {['b c'] = 1, ['end'] = 2, _k = 3, a1 = 4, ['1x'] = 5}"),
            R"({["1x"] = 5, _k = 3, a1 = 4, ["b c"] = 1, ["end"] = 2})");
  EXPECT_EQ(run("return {[true] = 1, [false] = 0, z = 2, [3] = 3}"),
            "{[3] = 3, z = 2, [false] = 0, [true] = 1}");
}

TEST_F(engine_builtins, CanonicalCyclesAndOtherValues) {
  EXPECT_EQ(run("local t = {1} t.me = t return t"), "{1, me = {...}}");
  EXPECT_EQ(run("local s = {} return {s, s}"), "{{}, {}}");
  EXPECT_EQ(run("return {print, coroutine.create(print)}"), "{<function>, <thread>}");
  EXPECT_EQ(run("return setmetatable({}, {__tostring = function() return 'hall' end})"),
            "hall");
}

}  // namespace
