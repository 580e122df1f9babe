#pragma once
// er::SqliteStateStore: the production state store (issue #4 item 4), one SQLite file
// in write-ahead-log mode. Every put_* is one small autocommit transaction on a
// prepared statement that stays open, so a write the engine acknowledged to a rule is
// in the file's log when put_* returns and survives the process being killed.
//
// Failures never throw or abort: open() reports a missing or unwritable path, a file
// that is not a state file, a corrupt file or a newer schema as text, and put_* return
// false with last_error() set.

#include <memory>
#include <string>
#include <string_view>

#include "rules/state_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace er {

struct SqliteStoreOptions {
  /// false (default): an acknowledged write survives the process being killed at any
  /// moment (SIGKILL, a crash); after a power loss or kernel crash the last writes
  /// before it may be missing, but the file stays consistent. true: every write is also
  /// flushed to the disk (one fsync each), so it survives power loss too; much slower
  /// on SD cards and flash.
  bool sync_every_write = false;
  /// How long a write waits for another process that holds the file's lock.
  int busy_timeout_ms = 2000;
};

class SqliteStateStore;

/// What SqliteStateStore::open gives: a store, or why there is none.
struct SqliteOpenResult {
  std::unique_ptr<SqliteStateStore> store;  ///< nullptr on failure
  std::string error;  ///< the failure, e.g. "state file '…' is corrupt: …"
};

class SqliteStateStore final : public StateStore {
 public:
  /// The schema this build writes; files with a higher version are refused.
  static constexpr int kSchemaVersion = 1;

  /// Opens the state file at `path`, creating it (not its folder) when missing, and
  /// checks that it is a readable, writable, uncorrupted state file.
  static SqliteOpenResult open(const std::string& path, const SqliteStoreOptions& options = {});

  ~SqliteStateStore() override;
  SqliteStateStore(const SqliteStateStore&) = delete;
  SqliteStateStore& operator=(const SqliteStateStore&) = delete;

  bool load(StoredState& state) override;
  bool put_global(std::string_view name, std::string_view value) override;
  bool erase_global(std::string_view name) override;
  bool put_device_property(std::string_view device, std::string_view property,
                           std::string_view value) override;
  bool put_rule_enabled(std::string_view rule, bool enabled) override;
  [[nodiscard]] std::string last_error() const override { return last_error_; }

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  SqliteStateStore(sqlite3* db, std::string path);
  bool prepare_statements();
  // Runs a bound write statement as its own transaction, then resets it.
  bool finish_write(sqlite3_stmt* statement);
  // Records the connection's current error as last_error_ and returns false.
  bool fail(std::string_view doing);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::string last_error_;
  sqlite3_stmt* put_global_ = nullptr;
  sqlite3_stmt* erase_global_ = nullptr;
  sqlite3_stmt* put_device_ = nullptr;
  sqlite3_stmt* put_rule_ = nullptr;
};

}  // namespace er
