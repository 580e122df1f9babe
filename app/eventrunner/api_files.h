#pragma once
// The files beside a state file through which clients find and open a running engine
// (docs/api.md, "The token and the URL file"):
//
//   <state file>.token   the API token, made at the first start and kept (mode 0600)
//   <state file>.url     the engine's URL while it runs (mode 0600; removed at the end)
//
// Tokens are 32 random bytes from the kernel, written as 64 hex digits.

#include <optional>
#include <string>

namespace er::cli {

/// `text` without surrounding white space.
std::string trimmed(const std::string& text);

/// A fresh random token (64 hex digits).
std::string fresh_token();

/// The token kept in `path`: read when the file exists (it must be a private regular
/// file holding one token), else created with a fresh token. nullopt with `error` set
/// when the file cannot be used.
std::optional<std::string> load_or_create_token(const std::string& path, std::string& error);

/// Writes `text` and a newline to `path` (mode 0600) through a temporary file and a
/// rename, so a reader never sees half of it. False with `error` set on failure.
bool write_private_file(const std::string& path, const std::string& text, std::string& error);

/// The first line of `path` without surrounding white space; nullopt when unreadable.
std::optional<std::string> read_first_line(const std::string& path);

}  // namespace er::cli
