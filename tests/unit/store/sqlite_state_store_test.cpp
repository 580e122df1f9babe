// er::SqliteStateStore: round trips, the file format (WAL, schema version), batches,
// file modes, errors as text, and an acknowledged write surviving SIGKILL of the
// writing process.

#include "adapters/sqlite_state_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace er {
namespace {

namespace fs = std::filesystem;

// The permission bits of `path`, or -1 when it does not exist.
int mode_of(const std::string& path) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) return -1;
  return static_cast<int>(status.st_mode & 0777);
}

class SqliteStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "er-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = (dir_ / "state.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SqliteStateStore> open_ok(const SqliteStoreOptions& options = {}) {
    SqliteOpenResult opened = SqliteStateStore::open(path_, options);
    EXPECT_EQ(opened.error, "");
    return std::move(opened.store);
  }

  // Runs a one-value query on a separate connection, as another process would see it.
  std::string query(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    std::string value = "<no row>";
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      value = text != nullptr ? reinterpret_cast<const char*>(text) : "<null>";
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
  }

  void write_file(const std::string& bytes) {
    std::ofstream out(path_, std::ios::binary);
    out << bytes;
  }

  fs::path dir_;
  std::string path_;
};

// The suite is named <part>_<module> (docs/testing.md).
using store_sqlite_state_store = SqliteStateStoreTest;

TEST_F(store_sqlite_state_store, NewFileLoadsEmpty) {
  auto store = open_ok();
  ASSERT_NE(store, nullptr);
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_TRUE(state.globals.empty());
  EXPECT_TRUE(state.devices.empty());
  EXPECT_TRUE(state.rules_enabled.empty());
  EXPECT_TRUE(fs::exists(path_));
}

TEST_F(store_sqlite_state_store, EverythingWrittenIsLoadedAfterReopening) {
  const std::string odd_bytes("a\0b\xff\n\"'", 7);
  {
    auto store = open_ok();
    ASSERT_TRUE(store->put_global("Mode", "\"away\""));
    ASSERT_TRUE(store->put_global("Bytes", odd_bytes));
    const std::vector<DeviceProperty> batch = {
        {"55", "value", "true"}, {"55", "power", "12.5"}, {"\"garage\"", "value", "false"}};
    ASSERT_TRUE(store->put_device_properties(batch));
    ASSERT_TRUE(store->put_rule_enabled("hall", false));
    ASSERT_TRUE(store->put_rule_enabled("porch", true));
  }
  auto store = open_ok();
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.globals,
            (std::map<std::string, std::string>{{"Mode", "\"away\""}, {"Bytes", odd_bytes}}));
  EXPECT_EQ(state.devices["55"],
            (std::map<std::string, std::string>{{"value", "true"}, {"power", "12.5"}}));
  EXPECT_EQ(state.devices["\"garage\""], (std::map<std::string, std::string>{{"value", "false"}}));
  EXPECT_EQ(state.devices.size(), 2U);
  EXPECT_EQ(state.rules_enabled, (std::map<std::string, bool>{{"hall", false}, {"porch", true}}));
}

TEST_F(store_sqlite_state_store, LaterWritesReplaceEarlierOnesAndEraseDeletes) {
  auto store = open_ok();
  ASSERT_TRUE(store->put_global("Count", "1"));
  ASSERT_TRUE(store->put_global("Count", "2"));
  ASSERT_TRUE(store->put_global("Gone", "3"));
  ASSERT_TRUE(store->erase_global("Gone"));
  ASSERT_TRUE(store->erase_global("NeverThere"));
  ASSERT_TRUE(store->put_rule_enabled("r", true));
  ASSERT_TRUE(store->put_rule_enabled("r", false));
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.globals, (std::map<std::string, std::string>{{"Count", "2"}}));
  EXPECT_EQ(state.rules_enabled, (std::map<std::string, bool>{{"r", false}}));
}

TEST_F(store_sqlite_state_store, AWriteIsCommittedWhenItReturns) {
  auto store = open_ok();
  ASSERT_TRUE(store->put_global("Seen", "42"));
  // Another connection sees only committed data: no transaction is left open.
  EXPECT_EQ(query("SELECT value FROM globals WHERE name = 'Seen'"), "42");
}

TEST_F(store_sqlite_state_store, ABatchIsOneTransactionCommittedWhenItReturns) {
  SqliteStoreOptions options;
  std::vector<std::string> seen;  // What another connection sees during the batch.
  options.batch_probe = [&](std::size_t rows, bool committed) {
    seen.push_back(std::to_string(rows) + (committed ? " committed: " : ": ") +
                   query("SELECT count(*) FROM device_properties"));
  };
  auto store = open_ok(options);
  const std::vector<DeviceProperty> batch = {
      {"1", "value", "true"}, {"2", "value", "false"}, {"1", "value", "false"}};
  ASSERT_TRUE(store->put_device_properties(batch));
  EXPECT_EQ(seen, (std::vector<std::string>{"1: 0", "2: 0", "3: 0", "3 committed: 2"}));
  EXPECT_EQ(query("SELECT value FROM device_properties WHERE device = '1'"), "false");
  EXPECT_TRUE(store->put_device_properties({}));
}

TEST_F(store_sqlite_state_store, AFailedBatchStoresNothing) {
  SqliteStoreOptions no_waiting;
  no_waiting.busy_timeout_ms = 0;
  auto store = open_ok(no_waiting);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 10'000);  // The other writer itself waits, on a loaded machine too.
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::vector<DeviceProperty> batch = {{"1", "value", "true"}, {"2", "value", "true"}};
  EXPECT_FALSE(store->put_device_properties(batch));
  EXPECT_EQ(store->last_error(), "cannot write state file '" + path_ + "': database is locked");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(query("SELECT count(*) FROM device_properties"), "0");
  EXPECT_TRUE(store->put_device_properties(batch));  // No transaction was left open.
  EXPECT_EQ(query("SELECT count(*) FROM device_properties"), "2");
}

TEST_F(store_sqlite_state_store, FilesArePrivate) {
  auto store = open_ok();
  ASSERT_TRUE(store->put_global("Mode", "1"));
  EXPECT_EQ(mode_of(path_), 0600);
  EXPECT_EQ(mode_of(path_ + "-wal"), 0600);
  EXPECT_EQ(mode_of(path_ + "-shm"), 0600);
}

TEST_F(store_sqlite_state_store, AnExistingFileIsMadePrivate) {
  write_file("");
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  auto store = open_ok();
  EXPECT_EQ(mode_of(path_), 0600);
  EXPECT_EQ(mode_of(path_ + "-wal"), 0600);
}

TEST_F(store_sqlite_state_store, FileUsesWriteAheadLogAndRecordsSchemaVersion) {
  auto store = open_ok();
  EXPECT_EQ(query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query("SELECT version FROM schema_version"),
            std::to_string(SqliteStateStore::kSchemaVersion));
}

TEST_F(store_sqlite_state_store, RuleErrorsRoundTripAndAreForgotten) {
  {
    auto store = open_ok();
    ASSERT_TRUE(store->put_rule_enabled("hall", false));
    ASSERT_TRUE(
        store->put_rule_error("hall", "20-lights.er:3:5: runtime error: boom", "00000000000000ab"));
    ASSERT_TRUE(store->put_rule_error("porch", "old", "1"));
    ASSERT_TRUE(store->erase_rule_error("porch"));
    ASSERT_TRUE(store->erase_rule_error("never stored"));
  }
  auto store = open_ok();
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.rule_errors,
            (std::map<std::string, StoredRuleError>{
                {"hall", {"20-lights.er:3:5: runtime error: boom", "00000000000000ab"}}}));
  ASSERT_TRUE(store->erase_rule("hall"));
  StoredState after;
  ASSERT_TRUE(store->load(after));
  EXPECT_TRUE(after.rules_enabled.empty());
  EXPECT_TRUE(after.rule_errors.empty());
}

// A file of version 1 (before rule identities) keeps its data and gains the
// rule_errors table; the engine drops its RULE<n> flags itself.
TEST_F(store_sqlite_state_store, AVersionOneFileIsMigrated) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                   "INSERT INTO schema_version VALUES (1);"
                   "CREATE TABLE globals (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) "
                   "WITHOUT ROWID;"
                   "CREATE TABLE device_properties (device TEXT NOT NULL, property TEXT NOT NULL,"
                   "  value TEXT NOT NULL, PRIMARY KEY (device, property)) WITHOUT ROWID;"
                   "CREATE TABLE rules (name TEXT NOT NULL PRIMARY KEY, enabled INTEGER NOT NULL) "
                   "WITHOUT ROWID;"
                   "INSERT INTO rules VALUES ('RULE3', 0);",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = open_ok();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(query("SELECT version FROM schema_version"), "4");  // Migrated to the latest.
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.rules_enabled, (std::map<std::string, bool>{{"RULE3", false}}));
  ASSERT_TRUE(store->put_rule_error("hall", "boom", "1"));
}

// A file of version 3 keeps its device rows (their change time unknown) and gains the
// change time column and the notes table.
TEST_F(store_sqlite_state_store, AVersionThreeFileGainsChangeTimesAndNotes) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                   "INSERT INTO schema_version VALUES (3);"
                   "CREATE TABLE globals (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
                   "CREATE TABLE rules (name TEXT NOT NULL PRIMARY KEY, enabled INTEGER NOT NULL) WITHOUT ROWID;"
                   "CREATE TABLE rule_errors (identity TEXT NOT NULL PRIMARY KEY, message TEXT NOT NULL,"
                   "  source_hash TEXT NOT NULL) WITHOUT ROWID;"
                   "CREATE TABLE traces (identity TEXT NOT NULL, outcome TEXT NOT NULL, records TEXT NOT NULL,"
                   "  PRIMARY KEY (identity, outcome)) WITHOUT ROWID;"
                   "CREATE TABLE device_properties (device TEXT NOT NULL, property TEXT NOT NULL,"
                   "  value TEXT NOT NULL, PRIMARY KEY (device, property)) WITHOUT ROWID;"
                   "INSERT INTO device_properties VALUES ('1', 'value', 'true');",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  {
    StoredState old_file;  // Read as it is, before the engine migrates it.
    EXPECT_EQ(read_state_file(path_, old_file), "");
    EXPECT_EQ(old_file.devices["1"]["value"], "true");
    EXPECT_TRUE(old_file.device_changed.empty());
  }
  auto store = open_ok();
  EXPECT_EQ(query("SELECT version FROM schema_version"), "4");
  const std::vector<DeviceProperty> batch = {{"2", "value", "false", 1'700'000'000'123}};
  ASSERT_TRUE(store->put_device_properties(batch));
  const std::vector<InfoEntry> notes = {{"engine", "{\"zone\":\"UTC0\"}"}, {"rule:x", "{}"}};
  ASSERT_TRUE(store->put_info(notes));
  const std::vector<InfoEntry> erase = {{"rule:x", ""}};
  ASSERT_TRUE(store->put_info(erase));
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.devices["1"]["value"], "true");
  EXPECT_EQ(state.device_changed.count("1"), 0U);
  EXPECT_EQ(state.device_changed["2"]["value"], 1'700'000'000'123);
  EXPECT_EQ(state.info, (std::map<std::string, std::string>{{"engine", "{\"zone\":\"UTC0\"}"}}));
}

// read_state_file reads what an open store committed, without writing to the file.
TEST_F(store_sqlite_state_store, AStateFileIsReadWithoutWritingIt) {
  auto store = open_ok();
  ASSERT_TRUE(store->put_global("Mode", "\"away\""));
  const std::vector<DeviceProperty> batch = {{"1", "value", "true", 42}};
  ASSERT_TRUE(store->put_device_properties(batch));
  StoredState state;
  EXPECT_EQ(read_state_file(path_, state), "");
  EXPECT_EQ(state.globals["Mode"], "\"away\"");
  EXPECT_EQ(state.device_changed["1"]["value"], 42);
  StoredState missing;
  EXPECT_EQ(read_state_file(path_ + ".nothing", missing), "no state file '" + path_ + ".nothing'");
}

TEST_F(store_sqlite_state_store, MissingFolderIsReportedAsText) {
  path_ = (dir_ / "no" / "such" / "state.db").string();
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error, "cannot open state file '" + path_ +
                              "': unable to open database file (No such file or directory)");
}

TEST_F(store_sqlite_state_store, PathBelowAFileIsReportedAsText) {
  write_file("not a folder");
  const std::string below = path_ + "/state.db";
  SqliteOpenResult opened = SqliteStateStore::open(below);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error, "cannot open state file '" + below +
                              "': unable to open database file (Not a directory)");
}

TEST_F(store_sqlite_state_store, FolderIsRefused) {
  SqliteOpenResult opened = SqliteStateStore::open(dir_.string());
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error, "cannot use state file '" + dir_.string() + "': it is a folder");
}

TEST_F(store_sqlite_state_store, ReadOnlyFileIsRefused) {
  if (geteuid() == 0) GTEST_SKIP() << "root may write any file";
  open_ok().reset();
  ASSERT_EQ(chmod(path_.c_str(), 0444), 0);
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error, "state file '" + path_ + "' is not writable");
}

TEST_F(store_sqlite_state_store, GarbageFileIsNotAStateFile) {
  write_file(std::string(8192, 'x'));
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error,
            "state file '" + path_ + "' is not an EventRunner state file (file is not a database)");
}

TEST_F(store_sqlite_state_store, DamagedPageIsReportedAsCorrupt) {
  {
    auto store = open_ok();
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(store->put_global("name" + std::to_string(i), std::string(100, 'v')));
    }
  }  // Closing moves everything from the WAL into the main file.
  std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(4096 + 8);  // Inside page 2, past its header's first bytes.
  file << std::string(2000, '\xa5');
  file.close();
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_NE(opened.error.find("state file '" + path_ + "' is corrupt ("), std::string::npos)
      << opened.error;
  EXPECT_NE(opened.error.find("); move it away to start with an empty state"), std::string::npos);
}

TEST_F(store_sqlite_state_store, ForeignDatabaseIsNotAStateFile) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE photos (id INTEGER)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error,
            "state file '" + path_ + "' is not an EventRunner state file (it has other tables)");
}

TEST_F(store_sqlite_state_store, NewerSchemaIsRefused) {
  open_ok().reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 7", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  SqliteOpenResult opened = SqliteStateStore::open(path_);
  EXPECT_EQ(opened.store, nullptr);
  EXPECT_EQ(opened.error, "state file '" + path_ +
                              "' has schema version 7; this EventRunner reads up to version 4");
}

TEST_F(store_sqlite_state_store, FailedWriteIsReportedAndLaterWritesWork) {
  SqliteStoreOptions no_waiting;
  no_waiting.busy_timeout_ms = 0;
  auto store = open_ok(no_waiting);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_FALSE(store->put_global("Blocked", "1"));
  EXPECT_EQ(store->last_error(), "cannot write state file '" + path_ + "': database is locked");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(store->put_global("Blocked", "2"));
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_EQ(state.globals["Blocked"], "2");
}

// A child process writes 1, 2, 3, ... and reports each acknowledged value on a pipe;
// the parent kills it with SIGKILL mid-burst. The file must hold at least the last
// value the parent saw acknowledged.
TEST_F(store_sqlite_state_store, AcknowledgedWriteSurvivesSigkill) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    SqliteOpenResult opened = SqliteStateStore::open(path_);
    if (opened.store == nullptr) _exit(3);
    for (long long i = 1;; ++i) {
      if (!opened.store->put_global("Counter", std::to_string(i))) _exit(4);
      if (write(pipe_ends[1], &i, sizeof i) != sizeof i) _exit(5);
    }
  }
  close(pipe_ends[1]);
  long long acknowledged = 0;
  while (acknowledged < 2000) {
    ASSERT_EQ(read(pipe_ends[0], &acknowledged, sizeof acknowledged),
              static_cast<ssize_t>(sizeof acknowledged));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Drain what was acknowledged before the kill landed.
  long long later = 0;
  while (read(pipe_ends[0], &later, sizeof later) == static_cast<ssize_t>(sizeof later))
    acknowledged = later;
  close(pipe_ends[0]);

  auto store = open_ok();
  ASSERT_NE(store, nullptr);
  StoredState state;
  ASSERT_TRUE(store->load(state));
  EXPECT_GE(std::stoll(state.globals["Counter"]), acknowledged);
}

}  // namespace
}  // namespace er
