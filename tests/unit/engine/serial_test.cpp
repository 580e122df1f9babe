// er.serial: the stored text form of values (spec §5.3 storable values).

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace er::testing {
namespace {

class SerialTest : public EngineTest {
 protected:
  std::string encode(std::string_view lua_value) {
    return run("local text, what = E.serial.encode(" + std::string(lua_value) +
               ")\n"
               "return text or ('nil: ' .. what)");
  }
  // decode(text) described as math.type/type and tostring, or the error.
  std::string decode(std::string_view lua_string) {
    return run("local ok, v = pcall(E.serial.decode, " + std::string(lua_string) +
               ")\n"
               "if not ok then return 'error: ' .. v end\n"
               "return (math.type(v) or type(v)) .. ' ' .. tostring(v)");
  }
};

// The suite is named <part>_<module> (docs/testing.md).
using engine_serial = SerialTest;

TEST_F(engine_serial, ScalarsHaveTheirLuaSpelling) {
  EXPECT_EQ(encode("nil"), "nil");
  EXPECT_EQ(encode("true"), "true");
  EXPECT_EQ(encode("false"), "false");
  EXPECT_EQ(encode("42"), "42");
  EXPECT_EQ(encode("-7"), "-7");
  EXPECT_EQ(encode("math.mininteger"), "-9223372036854775808");
  EXPECT_EQ(encode("'away'"), "\"away\"");
}

TEST_F(engine_serial, FloatsStayFloatsWithTheShortestExactDecimal) {
  EXPECT_EQ(encode("2.5"), "2.5");
  EXPECT_EQ(encode("3.0"), "3.0");
  EXPECT_EQ(encode("-0.0"), "-0.0");
  EXPECT_EQ(encode("0.1"), "0.1");
  EXPECT_EQ(encode("1/3"), "0.3333333333333333");
  EXPECT_EQ(encode("1e300"), "1e+300");
  EXPECT_EQ(encode("2^63"), "9.223372036854776e+18");
  EXPECT_EQ(encode("math.huge"), "inf");
  EXPECT_EQ(encode("-math.huge"), "-inf");
  EXPECT_EQ(encode("0/0"), "nan");
}

TEST_F(engine_serial, StringsEscapeQuotesBackslashesAndControlBytesOnOneLine) {
  EXPECT_EQ(encode(R"("a\"b\\c\nd\0e\r\127f")"), R"("a\"b\\c\nd\0e\13\127f")");
  EXPECT_EQ(encode(R"("\0001")"), R"("\0001")");  // A digit after an escape: three digits.
  EXPECT_EQ(encode(R"("\xff\xc3\xa9")"), "\"\xff\xc3\xa9\"");  // Bytes >= 0x80 stay.
}

TEST_F(engine_serial, TablesListTheSequenceThenSortedKeys) {
  EXPECT_EQ(encode("{}"), "{}");
  EXPECT_EQ(encode("{1, 2, 3}"), "{1,2,3}");
  EXPECT_EQ(encode("{z = 1, a = 2, [10] = 3, [2.5] = 4, 'x', ['a b'] = 5, ['end'] = 6, [-1] = 7}"),
            "{\"x\",[-1]=7,[2.5]=4,[10]=3,a=2,[\"a b\"]=5,[\"end\"]=6,z=1}");
  EXPECT_EQ(encode("{n = {{}, {true}}}"), "{n={{},{true}}}");
  EXPECT_EQ(encode("{[1] = 'a', [3] = 'c'}"), "{\"a\",[3]=\"c\"}");  // A hole ends the sequence.
}

TEST_F(engine_serial, SharedSubtablesAreWrittenTwice) {
  EXPECT_EQ(encode("(function() local s = {1} return {s, s} end)()"), "{{1},{1}}");
}

TEST_F(engine_serial, UnstorableValuesSayWhatCannotBeStored) {
  EXPECT_EQ(encode("print"), "nil: a value of type 'function'");
  EXPECT_EQ(encode("coroutine.create(print)"), "nil: a value of type 'thread'");
  EXPECT_EQ(encode("io.stdout"), "nil: a value of type 'userdata'");
  EXPECT_EQ(encode("{a = {b = print}}"), "nil: a value of type 'function'");
  EXPECT_EQ(encode("setmetatable({}, {})"), "nil: a table with a metatable");
  EXPECT_EQ(encode("(function() local t = {} t.self = t return t end)()"),
            "nil: a table that contains itself");
  EXPECT_EQ(encode("{[true] = 1}"), "nil: a table key of type 'boolean'");
  EXPECT_EQ(encode("{[{}] = 1}"), "nil: a table key of type 'table'");
}

TEST_F(engine_serial, EveryStorableValueReadsBackExactly) {
  // Round trips through encode and decode, compared with subtypes and -0.0's sign.
  EXPECT_EQ(run(R"(
    local function same(a, b)
      if type(a) ~= type(b) or math.type(a) ~= math.type(b) then return false end
      if type(a) ~= "table" then
        if a ~= a then return b ~= b end
        return a == b and (a ~= 0 or 1 / a == 1 / b)
      end
      for k, v in pairs(a) do if not same(v, b[k]) then return false end end
      for k in pairs(b) do if a[k] == nil then return false end end
      return true
    end
    local all_bytes = {}
    for i = 0, 255 do all_bytes[#all_bytes + 1] = string.char(i) end
    local values = {0, 1, -1, math.maxinteger, math.mininteger, 0.0, -0.0, 0.1, -2.5e-300,
      5e-324, 1.7976931348623157e308, math.huge, -math.huge, 0/0, 2^53, 2^53 + 1.0, 123456789012.0,
      "", table.concat(all_bytes), "\n\\\"", true, false,
      {}, {1, 2.0, "3"}, {[1.5] = "f", [math.huge] = 1, [-0.0] = "zero", ["\0"] = {x = {y = {}}}},
      {a = {b = {c = {d = {e = 1}}}}, [100] = -0.0}}
    for i, v in ipairs(values) do
      local text = E.serial.encode(v)
      local back = E.serial.decode(text)
      if not same(v, back) then return "value " .. i .. " came back as " .. tostring(back) end
      if E.serial.encode(back) ~= text then return "value " .. i .. " changed its text" end
    end
    return "all " .. #values .. " same"
  )"),
            "all 26 same");
}

TEST_F(engine_serial, DecodeKeepsNumberSubtypes) {
  EXPECT_EQ(decode("'3'"), "integer 3");
  EXPECT_EQ(decode("'3.0'"), "float 3.0");
  EXPECT_EQ(decode("'-0.0'"), "float -0.0");
  EXPECT_EQ(decode("'1e+300'"), "float 1e+300");
  EXPECT_EQ(decode("'-inf'"), "float -inf");
  EXPECT_EQ(decode("'-9223372036854775808'"), "integer -9223372036854775808");
  EXPECT_EQ(run("local v = E.serial.decode('nan') return tostring(v ~= v)"), "true");
  EXPECT_EQ(decode("'nil'"), "nil nil");
}

TEST_F(engine_serial, MalformedTextIsAnErrorNamingTheByte) {
  EXPECT_EQ(decode("''"), "error: malformed stored value at byte 1: value expected");
  EXPECT_EQ(decode("'{1,'"), "error: malformed stored value at byte 4: value expected");
  EXPECT_EQ(decode("'\"abc'"), "error: malformed stored value at byte 1: unfinished string");
  EXPECT_EQ(decode("'12x'"),
            "error: malformed stored value at byte 3: unexpected text after the value");
  EXPECT_EQ(decode("'{[true]=1}'"), "error: malformed stored value at byte 2: bad table key");
  EXPECT_EQ(decode("'{1 2}'"), "error: malformed stored value at byte 3: ',' or '}' expected");
  EXPECT_EQ(decode("'99999999999999999999'"),
            "error: malformed stored value at byte 1: integer out of range '99999999999999999999'");
  EXPECT_EQ(decode(R"('"\\999"')"), "error: malformed stored value at byte 2: escape out of range");
  EXPECT_EQ(decode(R"('"\\q"')"), "error: malformed stored value at byte 2: bad escape");
  EXPECT_EQ(decode("'0x10'"),
            "error: malformed stored value at byte 2: unexpected text after the value");
  EXPECT_EQ(decode("string.rep('{', 300)"),
            "error: malformed stored value at byte 202: tables nested too deeply");
}

TEST_F(engine_serial, DecodeNeverRunsCode) {
  EXPECT_EQ(run("ran = false\n"
                "local ok, err = pcall(E.serial.decode, '(function() ran = true end)()')\n"
                "return tostring(ok) .. ' ' .. tostring(ran) .. ' ' .. err"),
            "false false malformed stored value at byte 1: unexpected character");
  EXPECT_EQ(decode("'os'"), "error: malformed stored value at byte 1: unexpected 'os'");
}

}  // namespace
}  // namespace er::testing
