#include "api_options.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "api_files.h"
#include "arg_reader.h"

namespace er::cli {

bool apply_api_option(ArgReader& reader, ApiArgs& args) {
  const std::string_view name = reader.name();
  std::optional<std::string>* target = nullptr;
  if (name == "--http") {
    target = &args.http;
  } else if (name == "--token-file") {
    target = &args.token_file;
  } else if (name == "--tls-cert") {
    target = &args.tls_cert;
  } else if (name == "--tls-key") {
    target = &args.tls_key;
  } else if (name == "--web-dir") {
    target = &args.web_dir;
  } else {
    return false;
  }
  *target = reader.value();
  if (name == "--http" && *target && **target != "off" && !parse_endpoint(**target)) {
    reader.fail("--http: expected ADDR:PORT or off, got '" + **target + "'");
  }
  return true;
}

std::optional<Endpoint> parse_endpoint(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  std::string address = text.substr(0, colon);
  if (address.front() == '[') {
    if (address.back() != ']') return std::nullopt;
    address = address.substr(1, address.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, problem] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (problem != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
  return Endpoint{address, static_cast<std::uint16_t>(port)};
}

namespace {

bool resolve_token(const ApiArgs& args, const std::string& state_path, ApiOptions& options, std::string& error) {
  if (!args.token_file && state_path.empty()) {
    options.token = fresh_token();
    options.print_token = true;
    return true;
  }
  const std::string path = args.token_file ? *args.token_file : state_path + ".token";
  std::optional<std::string> token = load_or_create_token(path, error);
  if (!token) return false;
  options.token = std::move(*token);
  return true;
}

// The folder of the running executable, or "" when /proc does not say.
std::filesystem::path executable_dir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : exe.parent_path();
}

bool has_index(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(dir / "index.html", error);
}

}  // namespace

std::string find_web_dir(const std::optional<std::string>& given) {
  if (given) return *given;
  if (const char* env = std::getenv("EVENTRUNNER_WEB_DIR"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path exe_dir = executable_dir();
  if (exe_dir.empty()) return {};
  // build/bin/eventrunner finds build/share/..., <prefix>/bin/eventrunner <prefix>/share/...
  const std::filesystem::path beside = (exe_dir / ".." / "share/eventrunner/web").lexically_normal();
  return has_index(beside) ? beside.string() : std::string();
}

std::optional<ApiOptions> resolve_api_options(const ApiArgs& args, bool virtual_clock,
                                              const std::string& state_path, std::string& error) {
  ApiOptions options;
  options.enabled = args.http ? *args.http != "off" : !virtual_clock;
  if (!options.enabled) return options;
  if (args.http) {
    options.endpoint = *parse_endpoint(*args.http);  // Checked when the option was read.
  } else {
    options.fallback_to_free_port = true;
  }
  if (args.tls_cert.has_value() != args.tls_key.has_value()) {
    error = "--tls-cert and --tls-key go together";
    return std::nullopt;
  }
  options.tls_cert_file = args.tls_cert.value_or("");
  options.tls_key_file = args.tls_key.value_or("");
  if (!resolve_token(args, state_path, options, error)) return std::nullopt;
  if (!state_path.empty()) options.url_file = state_path + ".url";
  options.web_dir = find_web_dir(args.web_dir);
  return options;
}

}  // namespace er::cli
