#pragma once
// A small client of the engine's control API (docs/api.md) over one libcurl easy
// handle: the handle is kept between requests, so a console or a script reuses one
// connection. Every answer is an ApiResponse; the client never throws and never
// writes the token anywhere (no verbose mode, no URL with credentials).

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace er::cli {

/// The answer to one request.
struct ApiResponse {
  long status = 0;        ///< The HTTP status; 0 when no answer came.
  nlohmann::json body;    ///< The parsed body (an object for every API answer), else null.
  /// Why the request failed, ready to print: the engine could not be reached, the
  /// status was not 2xx (the body's `error` and the status), or the body was not JSON.
  /// Empty on success. An answer of `"ok": false` is a success here: the request was
  /// fine and the body carries the diagnostics.
  std::string error;

  [[nodiscard]] bool ok() const { return error.empty(); }
};

class ApiClient {
 public:
  /// `base_url` is the engine's URL ("http://127.0.0.1:8321", no trailing path);
  /// `token` is sent as `Authorization: Bearer <token>` with every request.
  ApiClient(std::string base_url, std::string token);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  /// `path` starts with "/api/"; its parts must already be url_encode()d.
  ApiResponse get(std::string_view path);
  ApiResponse post(std::string_view path, const nlohmann::json& body = nlohmann::json::object());
  ApiResponse put(std::string_view path, const nlohmann::json& body);
  /// Any of "GET", "POST", "PUT"; the body is sent unless the method is GET.
  ApiResponse send(std::string_view method, std::string_view path, const nlohmann::json& body);

  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  struct Handle;
  std::string base_url_;
  std::string authorization_;  ///< The whole header line, built once.
  std::unique_ptr<Handle> handle_;
};

/// Percent-encodes one path part (a rule or device name) as RFC 3986 requires:
/// everything but letters, digits and "-._~".
std::string url_encode(std::string_view part);

/// The message of a failed request's answer: its `error` field, else "HTTP <status>".
std::string answer_error(long status, const nlohmann::json& body);

}  // namespace er::cli
