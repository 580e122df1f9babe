#pragma once
// The operations on a running engine, as one table shared by `eventrunner ctl VERB`
// and the console's dot commands (`.rules` is the verb `rules`): each verb builds one
// request of the control API (docs/api.md) from its arguments and prints the answer.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api_client.h"
#include "cli.h"

namespace er::cli {

/// One request to send.
struct ApiRequest {
  std::string method;  ///< "GET", "POST" or "PUT".
  std::string path;    ///< With its parts encoded, e.g. "/api/rules/morning%20lights".
  nlohmann::json body = nlohmann::json::object();
};

/// The options some verbs take (`reload --dry-run`, `timeline --since N`).
struct VerbOptions {
  bool dry_run = false;
  std::optional<std::string> since;
};

struct Verb {
  std::string_view name;
  std::string_view usage;    ///< The arguments, e.g. "DEVICE PROP VALUE".
  std::string_view summary;  ///< One line for the help text.
  std::size_t min_args;
  std::size_t max_args;      ///< kAnyCount: no limit.
  /// Builds the request; reports a usage problem on streams.err and returns nothing.
  std::optional<ApiRequest> (*request)(const std::vector<std::string>& args, const VerbOptions& options,
                                       Streams& streams);
  /// Prints a successful answer (which may still say `"ok": false`).
  void (*print)(const nlohmann::json& answer, Streams& streams);
};

inline constexpr std::size_t kAnyCount = static_cast<std::size_t>(-1);

/// Every verb, in help order.
std::span<const Verb> verbs();
/// The verb called `name`, or nullptr.
const Verb* find_verb(std::string_view name);

/// Whether `count` arguments suit `verb`; reports a usage error when not.
bool verb_arguments_fit(const Verb& verb, std::size_t count, Streams& streams);

/// Checks the argument count, sends the verb's request and prints the answer: as text,
/// or with `json_output` the answer's raw JSON on one line. Returns kExitOk, kExitErrors
/// (unreachable engine, an HTTP error, an answer with `"ok": false`) or kExitUsage.
int run_verb(ApiClient& client, const Verb& verb, const std::vector<std::string>& args,
             const VerbOptions& options, bool json_output, Streams& streams);

/// A value typed on a command line: JSON when the text parses as JSON (true, 12,
/// "x", {"a": 1}), else the text itself as a string (on, hello world).
nlohmann::json parse_loose_value(std::string_view text);

}  // namespace er::cli

namespace er::cli {

/// Evaluates `source` in the engine (`POST /api/eval`) and prints the answer as `eval`
/// does: one canonical value per line, an error's diagnostic on streams.err. Returns
/// kExitOk or kExitErrors.
int evaluate_in_engine(ApiClient& client, const std::string& source, Streams& streams);

}  // namespace er::cli
