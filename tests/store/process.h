#pragma once
// Helpers of the real-process store tests: the child-process helpers of
// tests/support/process.h, and reading values from a state file with SQLite as any
// other process would.

#include <sqlite3.h>

#include <string>

#include "support/process.h"

namespace er::store_test {

using namespace er::test_support;

/// Calls on_row(statement) for each row of `sql` on the state file, opened as any
/// other process would open it.
template <class OnRow>
void query_state(const fs::path& state, const char* sql, OnRow&& on_row) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(state.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    fail("cannot open " + state.string());
  }
  sqlite3_stmt* query = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &query, nullptr) != SQLITE_OK) {
    fail(std::string("cannot query ") + state.string() + ": " + sqlite3_errmsg(db));
  }
  while (sqlite3_step(query) == SQLITE_ROW) on_row(query);
  sqlite3_finalize(query);
  sqlite3_close(db);
}

/// Column `column` of a result row as text.
inline std::string column_text(sqlite3_stmt* row, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
  return text != nullptr ? text : "";
}

}  // namespace er::store_test
