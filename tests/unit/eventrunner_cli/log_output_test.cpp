// RotatingLogFile: whole lines, rotation by size into FILE.1 .. FILE.<keep>, private
// files; stderr_is_journal's reading of JOURNAL_STREAM.

#include "log_output.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

namespace er::cli {
namespace {

namespace fs = std::filesystem;

class LogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("er-log-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name = "er.log") const { return (dir_ / name).string(); }

  static std::string read(const std::string& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static unsigned mode_of(const std::string& file) {
    struct stat info {};
    ::stat(file.c_str(), &info);
    return info.st_mode & 0777U;
  }

  fs::path dir_;
};

// Writes `count` lines of 10 bytes ("line 0001\n"), each flushed as er.cli does.
void write_lines(std::ostream& out, int first, int count) {
  char line[32];
  for (int i = first; i < first + count; ++i) {
    std::snprintf(line, sizeof line, "line %04d\n", i);
    out << line << std::flush;
  }
}

TEST_F(LogFileTest, LinesGoToTheFileWhichIsPrivate) {
  std::string error;
  auto file = RotatingLogFile::open({path(), 1000, 3}, error);
  ASSERT_TRUE(file) << error;
  std::ostream out(file.get());
  write_lines(out, 1, 2);
  EXPECT_EQ(read(path()), "line 0001\nline 0002\n");
  EXPECT_EQ(mode_of(path()), 0600U);
}

TEST_F(LogFileTest, AFullFileMovesUpAndTheOldestIsDropped) {
  std::string error;
  auto file = RotatingLogFile::open({path(), 30, 2}, error);  // Three lines per file.
  ASSERT_TRUE(file) << error;
  std::ostream out(file.get());
  write_lines(out, 1, 10);
  EXPECT_EQ(read(path()), "line 0010\n");
  EXPECT_EQ(read(path("er.log.1")), "line 0007\nline 0008\nline 0009\n");
  EXPECT_EQ(read(path("er.log.2")), "line 0004\nline 0005\nline 0006\n");
  EXPECT_FALSE(fs::exists(path("er.log.3")));
  EXPECT_EQ(mode_of(path()), 0600U);
  EXPECT_EQ(mode_of(path("er.log.2")), 0600U);
}

TEST_F(LogFileTest, AnExistingFileIsAppendedToAndMadePrivate) {
  {
    std::ofstream existing(path());
    existing << "old line\n";
  }
  ::chmod(path().c_str(), 0644);
  std::string error;
  auto file = RotatingLogFile::open({path(), 1000, 3}, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->size(), 9U);
  std::ostream out(file.get());
  write_lines(out, 1, 1);
  EXPECT_EQ(read(path()), "old line\nline 0001\n");
  EXPECT_EQ(mode_of(path()), 0600U);
}

TEST_F(LogFileTest, KeepZeroTruncatesInPlace) {
  std::string error;
  auto file = RotatingLogFile::open({path(), 20, 0}, error);
  ASSERT_TRUE(file) << error;
  std::ostream out(file.get());
  write_lines(out, 1, 3);
  EXPECT_EQ(read(path()), "line 0003\n");
  EXPECT_FALSE(fs::exists(path("er.log.1")));
}

TEST_F(LogFileTest, AnUnopenableFileSaysWhy) {
  std::string error;
  EXPECT_FALSE(RotatingLogFile::open({path("missing/er.log"), 1000, 3}, error));
  EXPECT_NE(error.find("cannot open the log file"), std::string::npos) << error;
}

TEST(log_output, JournalStreamMustNameStandardError) {
  EXPECT_FALSE(stderr_is_journal(nullptr));
  EXPECT_FALSE(stderr_is_journal("garbage"));
  struct stat info {};
  ASSERT_EQ(::fstat(2, &info), 0);
  const std::string mine = std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
  EXPECT_TRUE(stderr_is_journal(mine.c_str()));
  const std::string other = std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino + 1);
  EXPECT_FALSE(stderr_is_journal(other.c_str()));
}

}  // namespace
}  // namespace er::cli
