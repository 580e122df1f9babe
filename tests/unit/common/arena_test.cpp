#include "common/arena.h"
#include "common/interner.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace common {
namespace {

struct Pair {
  int a;
  double b;
};

TEST(common_arena, allocations_are_aligned_and_survive_page_growth) {
  Arena arena(64);
  std::vector<Pair*> made;
  for (int i = 0; i < 100; ++i) made.push_back(arena.make<Pair>(Pair{i, i * 0.5}));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(made[static_cast<std::size_t>(i)]) % alignof(Pair), 0U);
    EXPECT_EQ(made[static_cast<std::size_t>(i)]->a, i);
  }
  const int items[] = {1, 2, 3};
  int* copy = arena.copy_array(items, 3);
  EXPECT_EQ(copy[2], 3);
  EXPECT_EQ(arena.copy_array(items, 0), nullptr);
}

TEST(common_arena, interner_gives_one_pointer_per_text) {
  Interner interner;
  const Name a = interner.intern("lamp");
  const std::string other = "lamp";
  EXPECT_TRUE(a == interner.intern(other));
  EXPECT_FALSE(a == interner.intern("lamps"));
  EXPECT_EQ(interner.size(), 2U);
}

}  // namespace
}  // namespace common
