// The SQLite state store: opening and checking the file, the schema, loading, the
// prepared single-row writes and the batched device writes.

#include "adapters/sqlite_state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <sqlite3.h>

namespace er {

namespace {

// The whole schema. Keep kSchemaVersion in sync: a change here is a new version with
// a migration in kMigrate. Values are the engine's serialised text, so every
// column is TEXT; WITHOUT ROWID keeps each table one b-tree keyed by its natural key.
// Since version 2 `rules.name` holds the rule's identity (its name, or `<file>:<hash>`
// for an unnamed rule), and `rule_errors` keeps the runtime error that disabled a rule.
// Since version 3 `traces` keeps each rule's trace records, one JSON list per rule
// identity and outcome (docs/traces.md). Since version 4 `device_properties.changed`
// keeps when each value last changed (epoch ms, NULL when not known) and `info` keeps
// the engine's notes for readers of the file without the engine (rules and their
// triggers, when events were last posted; docs/traces.md).
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS globals (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS device_properties (
  device TEXT NOT NULL,
  property TEXT NOT NULL,
  value TEXT NOT NULL,
  changed INTEGER,
  PRIMARY KEY (device, property)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rules (
  name TEXT NOT NULL PRIMARY KEY,
  enabled INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rule_errors (
  identity TEXT NOT NULL PRIMARY KEY,
  message TEXT NOT NULL,
  source_hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces (
  identity TEXT NOT NULL,
  outcome TEXT NOT NULL,
  records TEXT NOT NULL,
  PRIMARY KEY (identity, outcome)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS info (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO schema_version (version)
  SELECT 4 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
)sql";

// Version 1 -> 2: the rule_errors table (created above) is all that is new. Flags a
// version 1 file keeps under RULE<n> (definition order) are left for the engine, which
// drops them with one log line: only it can say so to the user.
// Version 2 -> 3: the traces table (created above) is all that is new.
// Version 3 -> 4: the info table (created above) and the column device_properties.changed,
// added by kAddChanged to files older than 4 (their device rows keep NULL: not known).
constexpr const char* kAddChanged = "ALTER TABLE device_properties ADD COLUMN changed INTEGER";
constexpr const char* kMigrate = "UPDATE schema_version SET version = 4 WHERE version < 4";

constexpr const char* kPutGlobal = "INSERT OR REPLACE INTO globals (name, value) VALUES (?1, ?2)";
constexpr const char* kEraseGlobal = "DELETE FROM globals WHERE name = ?1";
constexpr const char* kPutDevice =
    "INSERT OR REPLACE INTO device_properties (device, property, value, changed) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kPutRule = "INSERT OR REPLACE INTO rules (name, enabled) VALUES (?1, ?2)";
constexpr const char* kPutRuleError =
    "INSERT OR REPLACE INTO rule_errors (identity, message, source_hash) VALUES (?1, ?2, ?3)";
constexpr const char* kEraseRuleError = "DELETE FROM rule_errors WHERE identity = ?1";
constexpr const char* kEraseRuleFlag = "DELETE FROM rules WHERE name = ?1";
constexpr const char* kPutTraces =
    "INSERT OR REPLACE INTO traces (identity, outcome, records) VALUES (?1, ?2, ?3)";
constexpr const char* kPutInfo = "INSERT OR REPLACE INTO info (key, value) VALUES (?1, ?2)";
constexpr const char* kEraseInfo = "DELETE FROM info WHERE key = ?1";

// A connection while open() checks it; closed on every early return.
struct PendingConnection {
  sqlite3* db = nullptr;
  PendingConnection() = default;
  PendingConnection(const PendingConnection&) = delete;
  PendingConnection& operator=(const PendingConnection&) = delete;
  ~PendingConnection() {
    if (db != nullptr) sqlite3_close_v2(db);
  }
  sqlite3* release() { return std::exchange(db, nullptr); }
};

std::string in_quotes(const std::string& path) {
  return "'" + path + "'";
}

// The text of a result column (any bytes, also NUL).
std::string column_text(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  const int size = sqlite3_column_bytes(statement, column);
  if (text == nullptr || size <= 0) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

// Describes the connection's last error for the user: a file that is not a database
// or is damaged gets a message that says so and what to do.
std::string describe_error(sqlite3* db, const std::string& path) {
  const int code = sqlite3_errcode(db) & 0xff;
  const std::string message = sqlite3_errmsg(db);
  if (code == SQLITE_NOTADB) {
    return "state file " + in_quotes(path) + " is not an EventRunner state file (" + message + ")";
  }
  if (code == SQLITE_CORRUPT) {
    return "state file " + in_quotes(path) + " is corrupt (" + message +
           "); move it away to start with an empty state";
  }
  std::string text = "cannot use state file " + in_quotes(path) + ": " + message;
  if (const int system_error = sqlite3_system_errno(db); system_error != 0) {
    text += std::string(" (") + std::strerror(system_error) + ")";
  }
  return text;
}

// Calls on_row(statement) for each row of `sql`; false on an error.
template <class OnRow>
bool for_each_row(sqlite3* db, const char* sql, OnRow&& on_row) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) return false;
  int status = SQLITE_ROW;
  while ((status = sqlite3_step(statement)) == SQLITE_ROW) on_row(statement);
  // finalize returns the step's error again; keep the connection's message for it.
  sqlite3_finalize(statement);
  return status == SQLITE_DONE;
}

// Creates a missing state file as an empty file with mode 0600 (an empty file is an
// empty database), so that SQLite, which gives its -wal and -shm files the database
// file's mode, keeps them private too. Any failure is left for sqlite3_open_v2 to report.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

// Takes group and other permissions away from the state file and its companions, for
// files written by an earlier version or left behind by a crash. Best effort: a file
// of another user stays as it is.
void make_private(const std::string& path) {
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat status {};
    if (::stat(file.c_str(), &status) == 0 && (status.st_mode & 077) != 0) {
      ::chmod(file.c_str(), status.st_mode & 0700);
    }
  }
}

// Opens the file read-write (creating it), refusing folders and read-only files.
std::string open_file(const std::string& path, PendingConnection& connection) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return "cannot use state file " + in_quotes(path) + ": it is a folder";
  }
  create_private_file(path);
  make_private(path);
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &connection.db, flags, nullptr) != SQLITE_OK) {
    if (connection.db == nullptr)
      return "cannot open state file " + in_quotes(path) + ": out of memory";
    std::string text =
        "cannot open state file " + in_quotes(path) + ": " + sqlite3_errmsg(connection.db);
    if (const int system_error = sqlite3_system_errno(connection.db); system_error != 0) {
      text += std::string(" (") + std::strerror(system_error) + ")";
    }
    return text;
  }
  sqlite3_extended_result_codes(connection.db, 1);
  // SQLite silently falls back to read-only when the file cannot be written.
  if (sqlite3_db_readonly(connection.db, "main") == 1) {
    return "state file " + in_quotes(path) + " is not writable";
  }
  return {};
}

// Switches to write-ahead logging and picks how much each commit waits for the disk.
std::string set_journal(sqlite3* db, const std::string& path, const SqliteStoreOptions& options) {
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  std::string mode;
  const bool read = for_each_row(db, "PRAGMA journal_mode = WAL",
                                 [&](sqlite3_stmt* row) { mode = column_text(row, 0); });
  if (!read) return describe_error(db, path);
  if (mode != "wal") {
    return "state file " + in_quotes(path) + " cannot use write-ahead logging (journal mode " +
           mode + ")";
  }
  // In WAL mode a commit appends its pages to the -wal file with write(2) before
  // sqlite3_step returns. With synchronous = NORMAL the WAL is fsynced only at
  // checkpoints, not at each commit; the written pages are then in the kernel's page
  // cache, which belongs to the kernel, not to our process. So a commit that returned
  // survives the process being killed (SIGKILL, a crash, an OOM kill): the next open
  // finds it in the WAL and replays it. What NORMAL gives up is power loss or a kernel
  // crash: commits since the last checkpoint may then be lost (the file stays
  // consistent; it reverts to an earlier state). FULL fsyncs the WAL on every commit
  // and survives that too, at the price of one disk flush per `$name` write.
  const char* sync =
      options.sync_every_write ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if (sqlite3_exec(db, sync, nullptr, nullptr, nullptr) != SQLITE_OK)
    return describe_error(db, path);
  return {};
}

// Finds damaged pages before the engine relies on the file (cheap: the file is small).
std::string check_integrity(sqlite3* db, const std::string& path) {
  std::string first_problem;
  const bool read = for_each_row(db, "PRAGMA quick_check", [&](sqlite3_stmt* row) {
    if (first_problem.empty()) first_problem = column_text(row, 0);
  });
  if (!read) return describe_error(db, path);
  if (first_problem != "ok") {
    return "state file " + in_quotes(path) + " is corrupt (" + first_problem +
           "); move it away to start with an empty state";
  }
  return {};
}

// Checks that an existing file is ours and not from a newer EventRunner; a new (empty)
// file passes (version 0).
std::string check_schema(sqlite3* db, const std::string& path, long long& version) {
  int tables = 0;
  bool versioned = false;
  const bool listed = for_each_row(db, "SELECT name FROM sqlite_master WHERE type = 'table'",
                                   [&](sqlite3_stmt* row) {
                                     ++tables;
                                     if (column_text(row, 0) == "schema_version") versioned = true;
                                   });
  if (!listed) return describe_error(db, path);
  if (tables > 0 && !versioned) {
    return "state file " + in_quotes(path) +
           " is not an EventRunner state file (it has other tables)";
  }
  version = 0;
  if (versioned &&
      !for_each_row(db, "SELECT max(version) FROM schema_version",
                    [&](sqlite3_stmt* row) { version = sqlite3_column_int64(row, 0); })) {
    return describe_error(db, path);
  }
  if (version > SqliteStateStore::kSchemaVersion) {
    return "state file " + in_quotes(path) + " has schema version " + std::to_string(version) +
           "; this EventRunner reads up to version " +
           std::to_string(SqliteStateStore::kSchemaVersion);
  }
  return {};
}

// Creates whatever tables are missing and migrates an older file (`version`, 0 for a
// new one), in one transaction.
std::string create_schema(sqlite3* db, const std::string& path, long long version) {
  const bool add_changed = version > 0 && version < 4;
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_exec(db, kCreateSchema, nullptr, nullptr, nullptr) != SQLITE_OK ||
      (add_changed && sqlite3_exec(db, kAddChanged, nullptr, nullptr, nullptr) != SQLITE_OK) ||
      sqlite3_exec(db, kMigrate, nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string error = describe_error(db, path);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return describe_error(db, path);
  }
  return {};
}

bool bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
  // SQLITE_STATIC: the text outlives the statement's use; step_write resets it.
  return sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC,
                             SQLITE_UTF8) == SQLITE_OK;
}

}  // namespace

SqliteOpenResult SqliteStateStore::open(const std::string& path,
                                        const SqliteStoreOptions& options) {
  PendingConnection connection;
  std::string error = open_file(path, connection);
  if (error.empty()) error = set_journal(connection.db, path, options);
  if (error.empty()) error = check_integrity(connection.db, path);
  long long version = 0;
  if (error.empty()) error = check_schema(connection.db, path, version);
  if (error.empty()) error = create_schema(connection.db, path, version);
  if (!error.empty()) return {nullptr, error};
  make_private(path);  // The -wal and -shm files exist now.
  std::unique_ptr<SqliteStateStore> store(
      new SqliteStateStore(connection.release(), path, options));
  if (!store->prepare_statements()) return {nullptr, store->last_error()};
  return {std::move(store), {}};
}

SqliteStateStore::SqliteStateStore(sqlite3* db, std::string path,
                                   const SqliteStoreOptions& options)
    : db_(db), path_(std::move(path)), batch_probe_(options.batch_probe) {}

SqliteStateStore::~SqliteStateStore() {
  for (sqlite3_stmt* statement : {put_global_, erase_global_, put_device_, put_rule_,
                                  put_rule_error_, erase_rule_error_, erase_rule_flag_,
                                  put_traces_, put_info_, erase_info_}) {
    sqlite3_finalize(statement);
  }
  // Closing checkpoints the WAL into the main file and removes it.
  sqlite3_close_v2(db_);
}

bool SqliteStateStore::prepare_statements() {
  const std::pair<const char*, sqlite3_stmt**> statements[] = {
      {kPutGlobal, &put_global_},         {kEraseGlobal, &erase_global_},
      {kPutDevice, &put_device_},         {kPutRule, &put_rule_},
      {kPutRuleError, &put_rule_error_},  {kEraseRuleError, &erase_rule_error_},
      {kEraseRuleFlag, &erase_rule_flag_},  {kPutTraces, &put_traces_},
      {kPutInfo, &put_info_},             {kEraseInfo, &erase_info_}};
  for (const auto& [sql, statement] : statements) {
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
        SQLITE_OK) {
      last_error_ = describe_error(db_, path_);
      return false;
    }
  }
  return true;
}

bool SqliteStateStore::fail(std::string_view doing) {
  last_error_ = "cannot " + std::string(doing) + " state file " + in_quotes(path_) + ": " +
                sqlite3_errmsg(db_);
  return false;
}

bool SqliteStateStore::step_write(sqlite3_stmt* statement) {
  // Outside BEGIN ... COMMIT each step is its own transaction: committed on SQLITE_DONE.
  const bool done = sqlite3_step(statement) == SQLITE_DONE;
  if (!done) fail("write");
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  return done;
}

bool SqliteStateStore::load(StoredState& state) {
  return load_state_tables(db_, kSchemaVersion, state) || fail("read");
}

bool SqliteStateStore::put_global(std::string_view name, std::string_view value) {
  if (!bind_text(put_global_, 1, name) || !bind_text(put_global_, 2, value)) return fail("write");
  return step_write(put_global_);
}

bool SqliteStateStore::erase_global(std::string_view name) {
  if (!bind_text(erase_global_, 1, name)) return fail("write");
  return step_write(erase_global_);
}

bool SqliteStateStore::write_device_row(const DeviceProperty& entry) {
  if (!bind_text(put_device_, 1, entry.device) || !bind_text(put_device_, 2, entry.property) ||
      !bind_text(put_device_, 3, entry.value) ||
      (entry.changed_ms != 0 && sqlite3_bind_int64(put_device_, 4, entry.changed_ms) != SQLITE_OK)) {
    return fail("write");
  }
  return step_write(put_device_);
}

bool SqliteStateStore::abandon_batch() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);  // Also after a failed COMMIT.
  return false;
}

// BEGIN IMMEDIATE takes the write lock up front, so a busy file fails here (after the
// busy timeout) rather than half way through the rows.
bool SqliteStateStore::put_device_properties(std::span<const DeviceProperty> batch) {
  if (batch.empty()) return true;
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("write");
  }
  std::size_t written = 0;
  for (const DeviceProperty& entry : batch) {
    if (!write_device_row(entry)) return abandon_batch();
    if (batch_probe_) batch_probe_(++written, false);
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail("write");
    return abandon_batch();
  }
  if (batch_probe_) batch_probe_(written, true);
  return true;
}

bool SqliteStateStore::put_rule_enabled(std::string_view rule, bool enabled) {
  if (!bind_text(put_rule_, 1, rule) ||
      sqlite3_bind_int(put_rule_, 2, enabled ? 1 : 0) != SQLITE_OK) {
    return fail("write");
  }
  return step_write(put_rule_);
}

bool SqliteStateStore::put_rule_error(std::string_view rule, std::string_view message,
                                      std::string_view source_hash) {
  if (!bind_text(put_rule_error_, 1, rule) || !bind_text(put_rule_error_, 2, message) ||
      !bind_text(put_rule_error_, 3, source_hash)) {
    return fail("write");
  }
  return step_write(put_rule_error_);
}

bool SqliteStateStore::erase_rule_error(std::string_view rule) {
  if (!bind_text(erase_rule_error_, 1, rule)) return fail("write");
  return step_write(erase_rule_error_);
}

// One flush of traces is one transaction, like a device batch.
bool SqliteStateStore::put_traces(std::span<const TraceList> batch) {
  if (batch.empty()) return true;
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("write");
  }
  for (const TraceList& entry : batch) {
    if (!bind_text(put_traces_, 1, entry.rule) || !bind_text(put_traces_, 2, entry.outcome) ||
        !bind_text(put_traces_, 3, entry.records)) {
      fail("write");
      return abandon_batch();
    }
    if (!step_write(put_traces_)) return abandon_batch();
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail("write");
    return abandon_batch();
  }
  return true;
}

// The notes of one flush go in one transaction, like traces.
bool SqliteStateStore::put_info(std::span<const InfoEntry> batch) {
  if (batch.empty()) return true;
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("write");
  }
  for (const InfoEntry& entry : batch) {
    sqlite3_stmt* statement = entry.value.empty() ? erase_info_ : put_info_;
    if (!bind_text(statement, 1, entry.key) ||
        (!entry.value.empty() && !bind_text(statement, 2, entry.value))) {
      fail("write");
      return abandon_batch();
    }
    if (!step_write(statement)) return abandon_batch();
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail("write");
    return abandon_batch();
  }
  return true;
}

// The flag and the error go in one transaction, so a crash cannot leave a rule's error
// without the flag that goes with it.
bool SqliteStateStore::erase_rule(std::string_view rule) {
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("write");
  }
  if (!bind_text(erase_rule_flag_, 1, rule) || !step_write(erase_rule_flag_) ||
      !erase_rule_error(rule)) {
    return abandon_batch();
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail("write");
    return abandon_batch();
  }
  return true;
}

}  // namespace er

namespace er {

bool load_state_tables(sqlite3* db, long long version, StoredState& state) {
  const char* devices = version >= 4
                            ? "SELECT device, property, value, changed FROM device_properties"
                            : "SELECT device, property, value, NULL FROM device_properties";
  const auto device_row = [&](sqlite3_stmt* row) {
    const std::string device = column_text(row, 0);
    const std::string property = column_text(row, 1);
    state.devices[device][property] = column_text(row, 2);
    if (sqlite3_column_type(row, 3) == SQLITE_INTEGER) {
      state.device_changed[device][property] = sqlite3_column_int64(row, 3);
    }
  };
  const bool ok =
      for_each_row(
          db, "SELECT name, value FROM globals",
          [&](sqlite3_stmt* row) { state.globals[column_text(row, 0)] = column_text(row, 1); }) &&
      for_each_row(db, devices, device_row) &&
      for_each_row(db, "SELECT name, enabled FROM rules",
                   [&](sqlite3_stmt* row) {
                     state.rules_enabled[column_text(row, 0)] = sqlite3_column_int(row, 1) != 0;
                   }) &&
      (version < 2 ||
       for_each_row(db, "SELECT identity, message, source_hash FROM rule_errors",
                    [&](sqlite3_stmt* row) {
                      state.rule_errors[column_text(row, 0)] = {column_text(row, 1),
                                                                column_text(row, 2)};
                    })) &&
      (version < 3 ||
       for_each_row(db, "SELECT identity, outcome, records FROM traces",
                    [&](sqlite3_stmt* row) {
                      state.traces[column_text(row, 0)][column_text(row, 1)] = column_text(row, 2);
                    })) &&
      (version < 4 || for_each_row(db, "SELECT key, value FROM info", [&](sqlite3_stmt* row) {
         state.info[column_text(row, 0)] = column_text(row, 1);
       }));
  return ok;
}

namespace {

// The URI of `path` for sqlite3_open_v2 with SQLITE_OPEN_URI: the characters a URI
// gives a meaning to are percent-encoded.
std::string file_uri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      uri += kHex[static_cast<unsigned char>(c) & 0xf];
    } else {
      uri += c;
    }
  }
  return uri + query;
}

}  // namespace

std::string read_state_file(const std::string& path, StoredState& state) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    return "no state file " + in_quotes(path);
  }
  // Without a -wal file no engine has the file open (an engine's connection keeps one)
  // and everything is in the main file: read it as immutable, so that SQLite creates no
  // -wal and -shm files beside it. Otherwise share the engine's -shm, read-only.
  const bool quiet = !std::filesystem::exists(path + "-wal", ignored);
  const std::string uri = file_uri(path, quiet ? "?immutable=1" : "?mode=ro");
  PendingConnection connection;
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  if (sqlite3_open_v2(uri.c_str(), &connection.db, flags, nullptr) != SQLITE_OK) {
    return connection.db == nullptr ? "cannot open state file " + in_quotes(path) + ": out of memory"
                                    : describe_error(connection.db, path);
  }
  // A running engine may be writing: wait for its commit rather than fail.
  sqlite3_busy_timeout(connection.db, 2000);
  long long version = 0;
  std::string error = check_schema(connection.db, path, version);
  if (!error.empty()) return error;
  if (version == 0) return "state file " + in_quotes(path) + " is empty";
  if (sqlite3_exec(connection.db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
      !load_state_tables(connection.db, version, state)) {
    return describe_error(connection.db, path);
  }
  sqlite3_exec(connection.db, "COMMIT", nullptr, nullptr, nullptr);
  return {};
}

}  // namespace er
