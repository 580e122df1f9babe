#pragma once
// er::SqliteStateStore: the production state store (issue #4 item 4), one SQLite file
// in write-ahead-log mode. Every put_* is one small transaction on prepared statements
// that stay open (put_device_properties: one BEGIN IMMEDIATE ... COMMIT for the whole
// batch), so a write the engine acknowledged to a rule is in the file's log when put_*
// returns and survives the process being killed, and a batch is all there or not at all.
//
// The file is private: open() creates it with mode 0600 and takes group and other
// permissions away from an existing file and its -wal and -shm files (SQLite gives
// those the database file's mode when it creates them).
//
// Failures never throw or abort: open() reports a missing or unwritable path, a file
// that is not a state file, a corrupt file or a newer schema as text, and put_* return
// false with last_error() set.

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
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
  /// Test only: called in put_device_properties after each row is written (before the
  /// commit, committed = false) with the number of rows written so far, and once after
  /// the commit (committed = true). The durability test kills the process from here.
  std::function<void(std::size_t rows, bool committed)> batch_probe;
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
  static constexpr int kSchemaVersion = 4;

  /// Opens the state file at `path`, creating it (not its folder) when missing, and
  /// checks that it is a readable, writable, uncorrupted state file.
  static SqliteOpenResult open(const std::string& path, const SqliteStoreOptions& options = {});

  ~SqliteStateStore() override;
  SqliteStateStore(const SqliteStateStore&) = delete;
  SqliteStateStore& operator=(const SqliteStateStore&) = delete;

  bool load(StoredState& state) override;
  bool put_global(std::string_view name, std::string_view value) override;
  bool erase_global(std::string_view name) override;
  bool put_device_properties(std::span<const DeviceProperty> batch) override;
  bool put_rule_enabled(std::string_view rule, bool enabled) override;
  bool put_rule_error(std::string_view rule, std::string_view message,
                      std::string_view source_hash) override;
  bool erase_rule_error(std::string_view rule) override;
  bool erase_rule(std::string_view rule) override;
  bool put_traces(std::span<const TraceList> batch) override;
  bool put_info(std::span<const InfoEntry> batch) override;
  [[nodiscard]] std::string last_error() const override { return last_error_; }

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  SqliteStateStore(sqlite3* db, std::string path, const SqliteStoreOptions& options);
  bool prepare_statements();
  // Runs a bound write statement, then resets it. Outside a transaction the write
  // commits on its own.
  bool step_write(sqlite3_stmt* statement);
  bool write_device_row(const DeviceProperty& entry);
  // Rolls back the open batch; last_error_ already says what failed. Returns false.
  bool abandon_batch();
  // Records the connection's current error as last_error_ and returns false.
  bool fail(std::string_view doing);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::string last_error_;
  std::function<void(std::size_t, bool)> batch_probe_;
  sqlite3_stmt* put_global_ = nullptr;
  sqlite3_stmt* erase_global_ = nullptr;
  sqlite3_stmt* put_device_ = nullptr;
  sqlite3_stmt* put_rule_ = nullptr;
  sqlite3_stmt* put_rule_error_ = nullptr;
  sqlite3_stmt* erase_rule_error_ = nullptr;
  sqlite3_stmt* erase_rule_flag_ = nullptr;
  sqlite3_stmt* put_traces_ = nullptr;
  sqlite3_stmt* put_info_ = nullptr;
  sqlite3_stmt* erase_info_ = nullptr;
};

/// Reads every table of an open state file of schema `version` into `state` (the
/// tables a version lacks are left empty); false on a read error (the connection's
/// message says why). Shared by SqliteStateStore::load and read_state_file.
bool load_state_tables(sqlite3* db, long long version, StoredState& state);

/// Reads the state file at `path` without writing to it or taking its lock: a
/// read-only connection, for `eventrunner why|trace|state --state FILE` when no engine
/// answers (a running engine may hold the file; its committed writes are read). Files of
/// every schema version up to kSchemaVersion are read as they are, not migrated.
/// Returns the error text, empty on success.
std::string read_state_file(const std::string& path, StoredState& state);

}  // namespace er
