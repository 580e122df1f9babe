// The counting allocator and the heap limit (spec §7 meminfo; checklist 37, 38).

#include "alloc.h"
#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_alloc = LuaSysTest;

TEST_F(luabind_alloc, CountsUsedAndHighWaterMark) {
  detail::HeapCounter heap;
  void* a = detail::counting_alloc(&heap, nullptr, LUA_TTABLE, 100);
  void* b = detail::counting_alloc(&heap, nullptr, 0, 50);
  EXPECT_EQ(heap.used, 150u);
  a = detail::counting_alloc(&heap, a, 100, 10);
  EXPECT_EQ(heap.used, 60u);
  EXPECT_EQ(heap.max_used, 150u);
  detail::counting_alloc(&heap, a, 10, 0);
  detail::counting_alloc(&heap, b, 50, 0);
  EXPECT_EQ(heap.used, 0u);
}

TEST_F(luabind_alloc, RefusesToGrowPastTheLimitButAlwaysShrinks) {
  detail::HeapCounter heap;
  heap.limit = 100;
  void* a = detail::counting_alloc(&heap, nullptr, 0, 80);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(detail::counting_alloc(&heap, nullptr, 0, 30), nullptr);
  EXPECT_EQ(detail::counting_alloc(&heap, a, 80, 120), nullptr);
  EXPECT_EQ(heap.used, 80u);
  a = detail::counting_alloc(&heap, a, 80, 40);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(heap.used, 40u);
  detail::counting_alloc(&heap, a, 40, 0);
}

TEST_F(luabind_alloc, MeminfoReportsTheLimitUseAndHighWaterMark) {
  start(LoopOptions{.heap_limit = 4 * 1024 * 1024});
  EXPECT_EQ(run(R"(
local total, used, max = rtos.meminfo("lua")
print(total, used > 0, max >= used, math.type(used))
)"),
            "4194304\ttrue\ttrue\tinteger\n");
  EXPECT_EQ(runtime_->lua_memory().total, 4u * 1024 * 1024);
}

TEST_F(luabind_alloc, PastTheLimitLuaGetsNotEnoughMemoryAndTheLoopGoesOn) {
  start(LoopOptions{.heap_limit = 1024 * 1024});
  EXPECT_EQ(run(R"(
local ok, err = pcall(function()
  local t = {}
  for i = 1, 1e7 do t[i] = i end
end)
print(ok, err)
sys.taskInitNamed("hog", function()
  sys.wait(10)
  local parts = {}
  for i = 1, 1e6 do parts[i] = string.rep("x", 100) .. i end
end)
sys.timerStart(function() print("loop goes on", collectgarbage("count") < 1024) end, 20)
)"),
            "false\tnot enough memory\nloop goes on\ttrue\n");
  ASSERT_EQ(host_.lines.size(), 1u);
  EXPECT_EQ(host_.lines[0].rfind("0.010 [ERROR] sys: task \"hog\" failed: not enough memory", 0),
            0u)
      << host_.lines[0];
  EXPECT_LE(runtime_->lua_memory().max_used, 1024u * 1024u);
}

}  // namespace
}  // namespace luasys::testing
