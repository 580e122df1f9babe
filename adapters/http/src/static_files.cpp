#include "adapters/http/static_files.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace er::http {

namespace {

// What the browser may do with the console's pages: only its own scripts, styles and
// connections (CodeMirror sets inline styles, hence 'unsafe-inline' for styles only).
// No page of another site may frame it.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>EventRunner</title></head><body>"
    "<h1>The web console is not built</h1>"
    "<p>This engine serves the control API, but it found no web console files. Install the "
    "front end's packages (<code>scripts/setup.sh</code>, or <code>npm ci</code> in "
    "<code>web/</code>) and build again, or point <code>--web-dir</code> at a built console "
    "(docs/web.md).</p></body></html>\n";

bool is_safe_segment(const std::string& segment) {
  if (segment.empty() || segment.front() == '.') return false;  // ".", "..", hidden files
  for (const char c : segment) {
    if (c == '/' || c == '\\' || c == '\0') return false;
  }
  return true;
}

bool read_whole_file(const std::string& path, std::string& text) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) return false;
  text = content.str();
  return true;
}

Response with_page_headers(Response response) {
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

Response not_found(const std::vector<std::string>& segments) {
  std::string path;
  for (const auto& segment : segments) path += "/" + segment;
  return Response::error(404, "no such file: " + (path.empty() ? "/" : path));
}

}  // namespace

bool is_static_request(std::string_view method, std::string_view path) {
  if (method != "GET" && method != "HEAD") return false;
  if (path == "/api" || path.starts_with("/api/") || path == "/metrics") return false;
  return true;
}

std::optional<std::string> static_file_path(const std::string& root, const std::vector<std::string>& segments) {
  if (root.empty()) return std::nullopt;
  std::string path = root;
  for (const auto& segment : segments) {
    if (!is_safe_segment(segment)) return std::nullopt;
    path += "/" + segment;
  }
  if (segments.empty()) path += "/index.html";
  return path;
}

std::string_view content_type_of(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (file_name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

Response static_response(const std::string& root, const std::vector<std::string>& segments) {
  const std::optional<std::string> path = static_file_path(root, segments);
  std::string text;
  if (path && read_whole_file(*path, text) && !text.empty()) {
    return with_page_headers(Response::plain(200, std::move(text), std::string(content_type_of(*path))));
  }
  std::string index;
  const std::optional<std::string> index_path = static_file_path(root, {});
  const bool built = index_path && read_whole_file(*index_path, index);
  if (segments.empty() && !built) {
    return with_page_headers(Response::plain(200, std::string(kNotBuiltPage), "text/html; charset=utf-8"));
  }
  return not_found(segments);
}

}  // namespace er::http
