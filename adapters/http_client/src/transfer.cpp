#include "transfer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <system_error>
#include <utility>

namespace er::http_client {

namespace {

bool is_mail_url(const std::string& url) { return url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string timeout_text(long timeout_ms) {
  if (timeout_ms % 1000 == 0) return "timeout after " + std::to_string(timeout_ms / 1000) + " s";
  const long tenths = (timeout_ms + 50) / 100;
  return "timeout after " + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

Transfer::Transfer(std::uint64_t id, Request request) : id_(id), request_(std::move(request)), easy_(curl_easy_init()) {
  if (easy_ == nullptr) {
    setup_error_ = "cannot start a transfer (out of memory)";
    return;
  }
  set_common_options();
  if (is_mail_url(request_.url)) {
    set_mail_options();
  } else {
    set_http_options();
  }
}

Transfer::~Transfer() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
  curl_slist_free_all(header_list_);
  curl_slist_free_all(recipients_);
}

void Transfer::set_common_options() {
  curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str());
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, request_.timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, request_.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, request_.verify_tls ? 2L : 0L);
  if (!request_.username.empty() || !request_.password.empty()) {
    curl_easy_setopt(easy_, CURLOPT_USERNAME, request_.username.c_str());
    curl_easy_setopt(easy_, CURLOPT_PASSWORD, request_.password.c_str());
  }
}

void Transfer::set_http_options() {
  curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, request_.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(easy_, CURLOPT_MAXREDIRS, request_.max_redirects);
  curl_easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request_.max_body_bytes));
  curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy_, CURLOPT_USERAGENT, "eventrunner");
  curl_easy_setopt(easy_, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  for (const auto& [name, value] : request_.headers) {
    header_list_ = curl_slist_append(header_list_, (name + ": " + value).c_str());
  }
  if (header_list_ != nullptr) curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, header_list_);
  if (request_.method == "HEAD") {
    curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L);
  } else if (!request_.body.empty() || request_.method == "POST" || request_.method == "PUT" ||
             request_.method == "PATCH") {
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.c_str());
  }
  if (request_.method != "GET" && request_.method != "HEAD") {
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, request_.method.c_str());
  }
}

void Transfer::set_mail_options() {
  curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (request_.mail_starttls) curl_easy_setopt(easy_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(easy_, CURLOPT_MAIL_FROM, request_.mail_from.c_str());
  for (const std::string& to : request_.mail_to) recipients_ = curl_slist_append(recipients_, to.c_str());
  curl_easy_setopt(easy_, CURLOPT_MAIL_RCPT, recipients_);
  curl_easy_setopt(easy_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(easy_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
  curl_easy_setopt(easy_, CURLOPT_READFUNCTION, on_upload);
  curl_easy_setopt(easy_, CURLOPT_READDATA, this);
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  const std::size_t bytes = size * count;
  std::string& body = transfer.response_.body;
  if (body.size() + bytes > transfer.request_.max_body_bytes) {
    transfer.over_limit_ = true;
    return 0;  // Aborts the transfer with CURLE_WRITE_ERROR.
  }
  body.append(data, bytes);
  return bytes;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  transfer.add_header_line(std::string_view(data, size * count));
  return size * count;
}

// A status line starts the headers of a new answer (after a redirect or a 100
// Continue): only the final answer's headers are kept.
void Transfer::add_header_line(std::string_view line) {
  if (line.rfind("HTTP/", 0) == 0) {
    response_.headers.clear();
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  response_.headers.emplace_back(lower(trimmed(line.substr(0, colon))), std::string(trimmed(line.substr(colon + 1))));
}

std::size_t Transfer::on_upload(char* into, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  const std::string& message = transfer.request_.body;
  const std::size_t bytes = std::min(size * count, message.size() - transfer.uploaded_);
  std::memcpy(into, message.data() + transfer.uploaded_, bytes);
  transfer.uploaded_ += bytes;
  return bytes;
}

// "cannot connect to 127.0.0.1 port 9: Connection refused" from libcurl's "Failed to
// connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server" and the errno.
std::string Transfer::connect_failure_text(const std::string& detail) const {
  constexpr std::string_view kPrefix = "Failed to connect to ";
  std::string where = "the server";
  if (detail.rfind(kPrefix, 0) == 0) where = detail.substr(kPrefix.size(), detail.find(" after ") - kPrefix.size());
  long os_error = 0;
  curl_easy_getinfo(easy_, CURLINFO_OS_ERRNO, &os_error);
  const std::string reason =
      os_error != 0 ? std::generic_category().message(static_cast<int>(os_error)) : std::string("no answer");
  return "cannot connect to " + where + ": " + reason;
}

std::string Transfer::failure_text(CURLcode code) const {
  const std::string detail = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return timeout_text(request_.timeout_ms);
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      if (over_limit_ || code == CURLE_FILESIZE_EXCEEDED) {
        return "response larger than " + std::to_string(request_.max_body_bytes) + " bytes";
      }
      return detail;
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "unsupported URL (http:// and https:// only): " + detail;
    case CURLE_TOO_MANY_REDIRECTS:
      return "more than " + std::to_string(request_.max_redirects) + " redirects";
    case CURLE_COULDNT_CONNECT:
      return connect_failure_text(detail);
    default:
      return detail;
  }
}

Response Transfer::finish(CURLcode code) {
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) {
    Response failed;
    failed.error = failure_text(code);
    return failed;
  }
  response_.status = status;
  return std::move(response_);
}

}  // namespace er::http_client
