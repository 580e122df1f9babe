#include "api_client.h"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <mutex>

namespace er::cli {

namespace {

// A request is answered from the engine's loop; a reload of a large home can take a
// while, so the whole request may take long, but an engine that does not accept the
// connection at once is not running.
constexpr long kConnectTimeoutMs = 5000;
constexpr long kRequestTimeoutMs = 120000;

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Why curl got no answer, as a person reads it: the system's reason for a refused or
// unreachable connection ("Connection refused"), else curl's own message.
std::string failure_reason(CURL* curl, CURLcode code, const char* error_buffer) {
  long os_errno = 0;
  curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
  if (code == CURLE_COULDNT_CONNECT && os_errno != 0) return std::strerror(static_cast<int>(os_errno));
  if (error_buffer[0] != '\0') return error_buffer;
  return curl_easy_strerror(code);
}

}  // namespace

struct ApiClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

ApiClient::ApiClient(std::string base_url, std::string token)
    : base_url_(std::move(base_url)),
      authorization_("Authorization: Bearer " + std::move(token)),
      handle_(std::make_unique<Handle>()) {
  while (base_url_.ends_with('/')) base_url_.pop_back();
  initialise_curl_once();
  handle_->curl = curl_easy_init();
}

ApiClient::~ApiClient() = default;

ApiResponse ApiClient::get(std::string_view path) { return send("GET", path, nullptr); }

ApiResponse ApiClient::post(std::string_view path, const nlohmann::json& body) {
  return send("POST", path, body);
}

ApiResponse ApiClient::put(std::string_view path, const nlohmann::json& body) {
  return send("PUT", path, body);
}

namespace {

// The options of one request; the strings must outlive curl_easy_perform.
struct RequestSetup {
  std::string url;
  std::string method;
  std::string payload;
  curl_slist* headers = nullptr;
  std::string* received = nullptr;
  char* error_buffer = nullptr;
};

void configure(CURL* curl, const RequestSetup& setup) {
  curl_easy_reset(curl);  // Keeps the connection cache; forgets the last request's options.
  curl_easy_setopt(curl, CURLOPT_URL, setup.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, setup.headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kRequestTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, setup.error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, setup.received);
  if (setup.method == "GET") return;
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, setup.method.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, setup.payload.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(setup.payload.size()));
}

// Status and body of an answer that came: the body must be a JSON object, and a status
// other than 2xx is an error with the engine's message.
void read_answer(CURL* curl, const std::string& received, const std::string& base_url, ApiResponse& response) {
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = nlohmann::json::parse(received, nullptr, false);
  if (response.body.is_discarded()) response.body = nullptr;
  if (response.status < 200 || response.status > 299) {
    response.error = answer_error(response.status, response.body);
  } else if (!response.body.is_object()) {
    response.error = "the engine at " + base_url + " answered something that is not a JSON object";
  }
}

}  // namespace

ApiResponse ApiClient::send(std::string_view method, std::string_view path, const nlohmann::json& body) {
  ApiResponse response;
  CURL* curl = handle_->curl;
  if (curl == nullptr) {
    response.error = "cannot start an HTTP client (libcurl failed to initialise)";
    return response;
  }
  std::string received;
  char error_buffer[CURL_ERROR_SIZE] = {};
  RequestSetup setup{base_url_ + std::string(path), std::string(method),
                     method == "GET" ? std::string() : body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     nullptr, &received, error_buffer};
  setup.headers = curl_slist_append(nullptr, authorization_.c_str());
  setup.headers = curl_slist_append(setup.headers, "Content-Type: application/json");
  setup.headers = curl_slist_append(setup.headers, "Accept: application/json");
  configure(curl, setup);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(setup.headers);
  if (code != CURLE_OK) {
    response.error = "cannot reach the engine at " + base_url_ + ": " + failure_reason(curl, code, error_buffer);
    return response;
  }
  read_answer(curl, received, base_url_, response);
  return response;
}

std::string url_encode(std::string_view part) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4U];
      encoded += kHex[byte & 0xFU];
    }
  }
  return encoded;
}

std::string answer_error(long status, const nlohmann::json& body) {
  const std::string code = "HTTP " + std::to_string(status);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    return body["error"].get<std::string>() + " (" + code + ")";
  }
  return code;
}

}  // namespace er::cli
