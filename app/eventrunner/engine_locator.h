#pragma once
// How `eventrunner console` and `eventrunner ctl` find a running engine and its token
// (docs/api.md, "The token and the URL file"):
//
//   URL     --connect URL, else the first line of <state file>.url
//   token   --token-file FILE, else $EVENTRUNNER_TOKEN, else <state file>.token
//   state   --state FILE, else the default state file of HOME for real-time runs
//           (state_file.h default_state_path)
//
// The token is a secret: it is never taken from the command line (other users see
// argv), and a token file that others may read is refused, as ssh refuses such keys.

#include <optional>
#include <string>

#include "arg_reader.h"

namespace er::cli {

/// The engine options shared by console and ctl, as given on the command line.
struct EngineOptions {
  std::string home = ".";                  ///< The home folder (default: the current one).
  std::optional<std::string> connect;      ///< --connect URL
  std::optional<std::string> token_file;   ///< --token-file FILE
  std::optional<std::string> state;        ///< --state FILE
};

/// Takes the reader's current option when it is one of --connect, --token-file and
/// --state; false (nothing consumed) for any other option.
bool apply_engine_option(ArgReader& reader, EngineOptions& options);

/// True when `path` is a folder holding home.lua.
bool is_home_folder(const std::string& path);

/// Where the engine is and the token it expects; `error` says why not when url is empty.
struct EngineAddress {
  std::string url;
  std::string token;
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Finds the engine as the header comment says. `env_token` is $EVENTRUNNER_TOKEN
/// (nullptr when unset), passed in so tests need not change the environment.
EngineAddress locate_engine(const EngineOptions& options, const char* env_token);

/// Reads the first line of a file that must be private to its owner (no group or
/// other permission bits), trimmed of white space; `error` says why it could not.
std::optional<std::string> read_private_line(const std::string& path, std::string& error);

}  // namespace er::cli
