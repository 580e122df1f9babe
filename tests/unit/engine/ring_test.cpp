// er.ring: the bounded (at, value) histories of the control API's charts.

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace er::testing {
namespace {

// The suite is named <part>_<module> (docs/testing.md).
using engine_ring = EngineTest;

// Lua that pushes `pushes` entries (at = i, value = "v" .. i) into a ring of
// `capacity` and lists its entries, oldest first, as "at=value" joined by spaces.
std::string listed(int capacity, int pushes) {
  return "local r = require('er.ring').new(" + std::to_string(capacity) + ")\n" + "for i = 1, " +
         std::to_string(pushes) + " do r:push(i, 'v' .. i) end\n" +
         "local out = {}\n"
         "for at, value in r:entries() do out[#out + 1] = at .. '=' .. value end\n"
         "return r:size() .. ': ' .. table.concat(out, ' ')";
}

TEST_F(engine_ring, AnEmptyRingHasNoEntries) {
  EXPECT_EQ(lua(listed(3, 0)), "0: ");
}

TEST_F(engine_ring, BelowCapacityEveryEntryIsKeptInOrder) {
  EXPECT_EQ(lua(listed(3, 2)), "2: 1=v1 2=v2");
}

TEST_F(engine_ring, AtCapacityEveryEntryIsKeptInOrder) {
  EXPECT_EQ(lua(listed(3, 3)), "3: 1=v1 2=v2 3=v3");
}

TEST_F(engine_ring, PastCapacityTheOldestEntriesAreDropped) {
  EXPECT_EQ(lua(listed(3, 4)), "3: 2=v2 3=v3 4=v4");
  EXPECT_EQ(lua(listed(3, 8)), "3: 6=v6 7=v7 8=v8");
}

TEST_F(engine_ring, ARingOfOneKeepsTheLastEntry) {
  EXPECT_EQ(lua(listed(1, 5)), "1: 5=v5");
}

// The point of the ring: its slots are reused, so a full ring's arrays do not grow.
TEST_F(engine_ring, AFullRingReusesItsSlots) {
  EXPECT_EQ(lua("local r = require('er.ring').new(4)\n"
                "for i = 1, 1000 do r:push(i, i * 2) end\n"
                "local slots = 0\n"
                "for _ in pairs(r.ats) do slots = slots + 1 end\n"
                "return slots"),
            "4");
}

TEST_F(engine_ring, TheCapacityMustBeAPositiveInteger) {
  EXPECT_NE(lua("return require('er.ring').new(0)").find("ERROR: "), std::string::npos);
  EXPECT_NE(lua("return require('er.ring').new(2.5)").find("ERROR: "), std::string::npos);
}

}  // namespace
}  // namespace er::testing
