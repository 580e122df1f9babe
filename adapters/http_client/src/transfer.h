#pragma once
// One libcurl easy handle and what it collects: the body (up to the request's cap),
// the final answer's headers, and for mail the message it uploads.

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/http_client/client.h"

namespace er::http_client {

class Transfer {
 public:
  Transfer(std::uint64_t id, Request request);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] CURL* easy() const { return easy_; }
  /// Non-empty when the handle could not be set up (it must not be run then).
  [[nodiscard]] const std::string& setup_error() const { return setup_error_; }
  /// The response, once libcurl said the transfer ended with `code`.
  Response finish(CURLcode code);

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_upload(char* into, std::size_t size, std::size_t count, void* self);
  void set_common_options();
  void set_http_options();
  void set_mail_options();
  void add_header_line(std::string_view line);
  [[nodiscard]] std::string failure_text(CURLcode code) const;
  [[nodiscard]] std::string connect_failure_text(const std::string& detail) const;

  std::uint64_t id_;
  Request request_;
  Response response_;
  CURL* easy_ = nullptr;
  curl_slist* header_list_ = nullptr;
  curl_slist* recipients_ = nullptr;
  std::size_t uploaded_ = 0;
  bool over_limit_ = false;
  std::string setup_error_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace er::http_client
