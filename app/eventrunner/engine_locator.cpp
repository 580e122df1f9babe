#include "engine_locator.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "api_files.h"
#include "state_file.h"

namespace er::cli {

namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777U));
  return text;
}

std::string state_path(const EngineOptions& options) {
  return options.state ? *options.state : default_state_path(options.home);
}

// The URL: --connect, else the URL file the running engine wrote beside its state.
std::optional<std::string> find_url(const EngineOptions& options, std::string& error) {
  if (options.connect) return options.connect;
  const std::string file = state_path(options) + ".url";
  std::optional<std::string> url = read_first_line(file);
  if (url && !url->empty()) return url;
  const std::string whose = options.state ? "state file " + *options.state : "HOME " + options.home;
  error = "no engine is running for " + whose + ": " + file + " not found; start it with `eventrunner run " +
          options.home + (options.state ? " --state " + *options.state : "") + "`";
  return std::nullopt;
}

std::optional<std::string> find_token(const EngineOptions& options, const char* env_token, std::string& error) {
  if (options.token_file) return read_private_line(*options.token_file, error);
  if (env_token != nullptr && *env_token != '\0') return trimmed(env_token);
  const std::string file = state_path(options) + ".token";
  std::error_code missing;
  if (!std::filesystem::exists(file, missing)) {
    error = "no token: " + file + " not found; pass --token-file FILE or set EVENTRUNNER_TOKEN";
    return std::nullopt;
  }
  return read_private_line(file, error);
}

}  // namespace

bool apply_engine_option(ArgReader& reader, EngineOptions& options) {
  const std::string_view name = reader.name();
  std::optional<std::string>* target = name == "--connect"      ? &options.connect
                                       : name == "--token-file" ? &options.token_file
                                       : name == "--state"      ? &options.state
                                                                : nullptr;
  if (target == nullptr) return false;
  *target = reader.value();
  return true;
}

bool is_home_folder(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(std::filesystem::path(path) / "home.lua", error);
}

std::optional<std::string> read_private_line(const std::string& path, std::string& error) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    error = "cannot read the token file " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if ((info.st_mode & 077U) != 0) {
    error = "the token file " + path + " may be read by other users (mode " + octal_mode(info.st_mode) +
            "); make it private with `chmod 600 " + path + "`";
    return std::nullopt;
  }
  std::optional<std::string> line = read_first_line(path);
  if (!line || line->empty()) {
    error = "the token file " + path + " is empty or unreadable";
    return std::nullopt;
  }
  return line;
}

EngineAddress locate_engine(const EngineOptions& options, const char* env_token) {
  EngineAddress address;
  const std::optional<std::string> url = find_url(options, address.error);
  if (!url) return address;
  const std::optional<std::string> token = find_token(options, env_token, address.error);
  if (!token) return address;
  address.url = *url;
  address.token = *token;
  return address;
}

}  // namespace er::cli
