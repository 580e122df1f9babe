// er::StateFileLock: one holder at a time, the holder named in the refusal, the lock
// file's record, mode and removal, and a stale lock file taken over.

#include "adapters/state_file_lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace er {
namespace {

namespace fs = std::filesystem;

class StateFileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "er-lock-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    state_ = (dir_ / "state.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string lock_file_text() const {
    std::ifstream in(StateFileLock::lock_path(state_));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
  std::string state_;
};

// The suite is named <part>_<module> (docs/testing.md).
using store_state_file_lock = StateFileLockTest;

TEST_F(store_state_file_lock, TheLockFileRecordsPidAndCommandAndIsPrivate) {
  const StateLockResult held = StateFileLock::acquire(state_, "eventrunner run");
  ASSERT_NE(held.lock, nullptr) << held.error;
  EXPECT_EQ(StateFileLock::lock_path(state_), state_ + ".lock");
  EXPECT_EQ(lock_file_text(), std::to_string(getpid()) + " eventrunner run\n");
  struct stat status {};
  ASSERT_EQ(stat(StateFileLock::lock_path(state_).c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600U);
}

TEST_F(store_state_file_lock, ASecondUserIsRefusedWithTheHolderNamed) {
  const StateLockResult held = StateFileLock::acquire(state_, "eventrunner run");
  ASSERT_NE(held.lock, nullptr);
  const StateLockResult second = StateFileLock::acquire(state_, "eventrunner eval");
  EXPECT_EQ(second.lock, nullptr);
  EXPECT_TRUE(second.in_use);
  EXPECT_EQ(second.error, "state file '" + state_ + "' is in use by eventrunner run (pid " +
                              std::to_string(getpid()) + ")");
  EXPECT_EQ(lock_file_text(), std::to_string(getpid()) + " eventrunner run\n");  // Untouched.
}

TEST_F(store_state_file_lock, ReleasingRemovesTheLockFileAndFreesTheState) {
  StateLockResult held = StateFileLock::acquire(state_, "eventrunner run");
  ASSERT_NE(held.lock, nullptr);
  held.lock.reset();
  EXPECT_FALSE(fs::exists(StateFileLock::lock_path(state_)));
  EXPECT_NE(StateFileLock::acquire(state_, "eventrunner eval").lock, nullptr);
}

TEST_F(store_state_file_lock, AStaleLockFileIsTakenOver) {
  std::ofstream(StateFileLock::lock_path(state_)) << "99999 eventrunner run\n";
  const StateLockResult held = StateFileLock::acquire(state_, "eventrunner eval");
  ASSERT_NE(held.lock, nullptr) << held.error;
  EXPECT_EQ(lock_file_text(), std::to_string(getpid()) + " eventrunner eval\n");
}

TEST_F(store_state_file_lock, AMissingFolderIsReportedAsText) {
  const std::string state = (dir_ / "no" / "state.db").string();
  const StateLockResult held = StateFileLock::acquire(state, "eventrunner run");
  EXPECT_EQ(held.lock, nullptr);
  EXPECT_FALSE(held.in_use);
  EXPECT_EQ(held.error, "cannot use state file '" + state + "': cannot create lock file '" + state +
                            ".lock' (No such file or directory)");
}

}  // namespace
}  // namespace er
