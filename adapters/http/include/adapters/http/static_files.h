#pragma once
// The web console's files (docs/web.md): plain files from one folder, served by the
// server thread itself for GET requests outside /api, without the token (they are the
// console's code and hold no data of the home; every /api request the code makes
// carries the token). Pure functions, so the path checks are unit-tested.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/server.h"

namespace er::http {

/// True for requests the static files answer: GET or HEAD of a path that is neither
/// under /api nor /metrics (those stay the app's, with the token).
bool is_static_request(std::string_view method, std::string_view path);

/// The file a request path names inside `root`, or nullopt when a segment could climb
/// out or hide ("..", ".", a leading dot, a slash or backslash or NUL decoded from an
/// escape). "/" is "index.html". `segments` are the decoded path segments.
std::optional<std::string> static_file_path(const std::string& root, const std::vector<std::string>& segments);

/// The Content-Type of a file by its extension; "application/octet-stream" if unknown.
std::string_view content_type_of(std::string_view file_name);

/// The answer to a static request: the file, a 404, or, when the console was not
/// built (no index.html in `root`), a page saying so at "/".
Response static_response(const std::string& root, const std::vector<std::string>& segments);

}  // namespace er::http
