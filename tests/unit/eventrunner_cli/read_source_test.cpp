// read_source refuses sources over lang::kMaxSourceBytes before reading them in full.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "cli_fixture.h"


namespace er::cli {
namespace {

using testing::invoke;

constexpr std::size_t kLimit = std::size_t{8} << 20U;  // lang::kMaxSourceBytes

// A sparse file of `size` bytes in the test's temporary directory.
std::filesystem::path sized_file(const std::string& name, std::uintmax_t size) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << "x = 1\n";
  std::filesystem::resize_file(path, size);
  return path;
}

TEST(eventrunner_cli_read_source, a_file_over_the_limit_is_refused_by_its_size) {
  const std::filesystem::path path = sized_file("er_read_source_big.er", 12897485);
  const testing::Invocation result = invoke(command_check, {path.string()});
  std::filesystem::remove(path);
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_EQ(result.err, "eventrunner: " + path.string() +
                            ": input is 12.3 MiB; the limit is 8 MiB (split the rules into several files)\n");
}

TEST(eventrunner_cli_read_source, a_file_at_the_limit_is_read) {
  const std::filesystem::path path = sized_file("er_read_source_limit.er", kLimit);
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  Streams streams{in, out, err};
  const std::optional<SourceText> text = read_source(path.string(), streams);
  std::filesystem::remove(path);
  ASSERT_TRUE(text.has_value()) << err.str();
  EXPECT_EQ(text->text.size(), kLimit);
}

TEST(eventrunner_cli_read_source, standard_input_over_the_limit_is_refused) {
  std::istringstream in(std::string(kLimit + 1, ' '));
  std::ostringstream out;
  std::ostringstream err;
  Streams streams{in, out, err};
  EXPECT_FALSE(read_source("-", streams).has_value());
  EXPECT_EQ(err.str(),
            "eventrunner: <stdin>: input is over the limit of 8 MiB (split the rules into several files)\n");
}

}  // namespace
}  // namespace er::cli
