#pragma once
// The control API options of `eventrunner run` (docs/api.md, "Listening"):
//
//   --http ADDR:PORT | off   where to listen (port 0: any free port)
//   --token-file FILE        the token file (else <state file>.token, else a fresh one)
//   --tls-cert FILE          serve HTTPS with this certificate ...
//   --tls-key FILE           ... and key (PEM)
//   --web-dir DIR            the web console's built files (docs/web.md); else
//                            $EVENTRUNNER_WEB_DIR, else share/eventrunner/web found
//                            from the executable (build tree or install prefix)
//
// Real-time runs listen on 127.0.0.1:8321 unless told otherwise (falling back to any
// free loopback port when it is taken); virtual runs only when --http is given.

#include <cstdint>
#include <optional>
#include <string>

namespace er::cli {

class ArgReader;

inline constexpr std::uint16_t kDefaultApiPort = 8321;

/// What the command line says about the API.
struct ApiArgs {
  std::optional<std::string> http;  ///< --http as given.
  std::optional<std::string> token_file;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  std::optional<std::string> web_dir;
};

/// Applies an API option if it is the current one; false when it is not.
bool apply_api_option(ArgReader& reader, ApiArgs& args);

/// Where to listen, parsed from "ADDR:PORT" ("[::1]:8321" for IPv6).
struct Endpoint {
  std::string address;
  std::uint16_t port = 0;
};
std::optional<Endpoint> parse_endpoint(const std::string& text);

/// Everything the session needs to serve the API; `enabled` false: no API.
struct ApiOptions {
  bool enabled = false;
  Endpoint endpoint{"127.0.0.1", kDefaultApiPort};
  bool fallback_to_free_port = false;  ///< The default port was not asked for explicitly.
  std::string token;
  bool print_token = false;  ///< --state none without --token-file: show it once.
  std::string url_file;      ///< Empty: none.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string web_dir;  ///< Empty: no console files (the server says it is not built).
};

/// Where the web console's files are: `given` (--web-dir), else $EVENTRUNNER_WEB_DIR,
/// else <exe folder>/../share/eventrunner/web when it has an index.html (the build tree
/// and an install are laid out alike); else "".
std::string find_web_dir(const std::optional<std::string>& given);

/// Resolves the options for a run: `state_path` is the state file in use (empty: in
/// memory). nullopt with `error` set when they are wrong (bad --http, unusable token
/// file, only one of the TLS files).
std::optional<ApiOptions> resolve_api_options(const ApiArgs& args, bool virtual_clock,
                                              const std::string& state_path, std::string& error);

}  // namespace er::cli
