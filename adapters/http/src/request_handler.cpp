// libmicrohttpd's callbacks: the life of one request on the server thread (see
// server_core.h for the overview).
#include <array>
#include <cstdio>
#include <string_view>

#include "adapters/http/static_files.h"
#include "adapters/http/websocket_handshake.h"
#include "listen_socket.h"
#include "server_core.h"

namespace er::http {

namespace {

// A chunked body over the limit cannot be answered 413 before it ends (libmicrohttpd
// 0.9.75 queues responses only before or after the upload), so its bytes are counted and
// dropped; a client that sends this many times the limit is cut off instead.
constexpr std::uint64_t kDiscardFactor = 4;
constexpr std::string_view kStreamPath = "/api/stream";
// The subprotocol a browser's stream names beside its "bearer.<token>" entry.
constexpr const char* kStreamProtocol = "eventrunner";

std::string header_value(MHD_Connection* connection, const char* name) {
  const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string peer_of(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return describe_address(info == nullptr ? nullptr : info->client_addr);
}

MHD_Response* make_response(const Response& response) {
  const std::string text = response.text.empty()
                               ? response.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                               : response.text;
  MHD_Response* made = MHD_create_response_from_buffer(text.size(), const_cast<char*>(text.data()),
                                                       MHD_RESPMEM_MUST_COPY);
  if (made == nullptr) return nullptr;
  MHD_add_response_header(made, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.c_str());
  for (const auto& [name, value] : response.headers) MHD_add_response_header(made, name.c_str(), value.c_str());
  return made;
}

}  // namespace

void* ServerCore::on_uri(void* self, const char* uri, MHD_Connection* connection) {
  auto& core = *static_cast<ServerCore*>(self);
  auto* request = new RequestContext;
  request->id = core.next_request_id_++;
  request->connection = connection;
  request->raw_target = uri == nullptr ? "" : uri;
  request->target = parse_target(request->raw_target);
  request->peer = peer_of(connection);
  const std::lock_guard lock(core.mutex_);
  ++core.live_;
  return request;
}

MHD_Result ServerCore::on_access(void* self, MHD_Connection* connection, const char* url, const char* method,
                                 const char* version, const char* upload_data, std::size_t* upload_size,
                                 void** context) {
  (void)connection;
  (void)url;  // Decoded by libmicrohttpd; the server parses raw_target itself.
  auto& core = *static_cast<ServerCore*>(self);
  auto* request = static_cast<RequestContext*>(*context);
  if (request == nullptr) return MHD_NO;  // on_uri makes one for every request
  switch (request->phase) {
    case RequestContext::Phase::Headers:
      request->method = method;
      return core.on_headers(*request, version);
    case RequestContext::Phase::Body:
      if (*upload_size == 0) return core.on_complete(*request);
      {
        const MHD_Result result = core.on_body(*request, std::string_view(upload_data, *upload_size));
        *upload_size = 0;
        return result;
      }
    case RequestContext::Phase::Waiting:
      return core.on_resumed(*request);
    case RequestContext::Phase::Answered:
      break;
  }
  return MHD_YES;
}

// The token of a request: the Authorization header, or for a browser's stream (which
// cannot set headers) its "bearer.<token>" subprotocol.
std::string ServerCore::authorization_of(RequestContext& request) {
  std::string authorization = header_value(request.connection, MHD_HTTP_HEADER_AUTHORIZATION);
  if (request.target.path != kStreamPath) return authorization;
  const std::string protocols = header_value(request.connection, "Sec-WebSocket-Protocol");
  request.offered_protocol = websocket_protocol_offered(protocols, kStreamProtocol);
  return authorization.empty() ? websocket_protocol_authorization(protocols) : authorization;
}

// The first call: only the headers are read. The web console's files are answered at
// once; a missing or wrong token and a declared body over the limit are refused here,
// before any of the body is read.
MHD_Result ServerCore::on_headers(RequestContext& request, const char* version) {
  if (is_static_request(request.method, request.target.path)) {
    return send(request, static_response(options_.web_dir, request.target.segments));
  }
  const std::string authorization = authorization_of(request);
  if (authorization.empty()) return refuse(request, 401, "missing token (Authorization: Bearer <token>)");
  if (!bearer_token_matches(authorization, options_.token)) return refuse(request, 401, "wrong token");
  const std::string length_text = header_value(request.connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
  const std::optional<std::uint64_t> length = parse_content_length(length_text);
  if (length && *length > options_.max_body) {
    return refuse(request, 413, "body over " + std::to_string(options_.max_body) + " bytes");
  }
  if (request.target.path == kStreamPath) return on_stream_request(request, version);
  request.phase = RequestContext::Phase::Body;
  return MHD_YES;
}

MHD_Result ServerCore::on_body(RequestContext& request, std::string_view bytes) {
  request.body_bytes += bytes.size();
  if (request.body_bytes <= options_.max_body) {
    request.body.append(bytes);
    return MHD_YES;
  }
  request.body = std::string();
  if (request.body_bytes <= kDiscardFactor * options_.max_body) return MHD_YES;
  sink_.on_log("413 from " + request.peer + " (" + request.method + " " + request.target.path + "): body over " +
               std::to_string(options_.max_body) + " bytes; connection closed");
  request.phase = RequestContext::Phase::Answered;
  return MHD_NO;
}

// The final call: the whole request is read.
MHD_Result ServerCore::on_complete(RequestContext& request) {
  if (request.body_bytes > options_.max_body) {
    return refuse(request, 413, "body over " + std::to_string(options_.max_body) + " bytes");
  }
  BodyCheck check = check_json_body(request.body);
  if (!check.error.empty()) return refuse(request, 400, check.error);
  request.body = std::string();
  hand_to_sink(request, std::move(check.value));
  return MHD_YES;
}

// Suspends the connection before the request becomes visible to reply(), so that a
// reply, however quick, finds it suspended (resuming a connection that is not suspended
// is undefined in libmicrohttpd).
void ServerCore::hand_to_sink(RequestContext& request, nlohmann::json body) {
  Request out{request.id, request.method, request.target.path, request.target.segments, request.target.query,
              std::move(body), request.peer};
  MHD_suspend_connection(request.connection);
  request.phase = RequestContext::Phase::Waiting;
  bool stopping = false;
  {
    const std::lock_guard lock(mutex_);
    stopping = stopping_;
    if (stopping) {
      request.response = Response::error(503, "the engine is shutting down");
      request.resumed = true;
      ++resuming_;
    } else {
      waiting_.emplace(request.id, &request);
    }
  }
  if (stopping) {
    MHD_resume_connection(request.connection);
    return;
  }
  sink_.on_request(std::move(out));
}

MHD_Result ServerCore::on_resumed(RequestContext& request) {
  Response response;
  {
    const std::lock_guard lock(mutex_);
    response = std::move(request.response);
    request.resumed = false;
    --resuming_;
  }
  changed_.notify_all();
  request.phase = RequestContext::Phase::Answered;
  return send(request, response);
}

MHD_Result ServerCore::on_stream_request(RequestContext& request, const char* version) {
  const std::string upgrade = header_value(request.connection, MHD_HTTP_HEADER_UPGRADE);
  const std::string connection = header_value(request.connection, MHD_HTTP_HEADER_CONNECTION);
  const std::string ws_version = header_value(request.connection, "Sec-WebSocket-Version");
  const std::string key = header_value(request.connection, "Sec-WebSocket-Key");
  const std::string problem = check_upgrade_request({request.method, version, upgrade, connection, ws_version, key});
  if (!problem.empty()) return refuse(request, 400, problem);
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return send(request, Response::error(503, "the engine is shutting down"));
  }
  MHD_Response* response = MHD_create_response_for_upgrade(&ServerCore::on_upgraded, this);
  MHD_add_response_header(response, MHD_HTTP_HEADER_UPGRADE, "websocket");
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "Upgrade");
  MHD_add_response_header(response, "Sec-WebSocket-Accept", websocket_accept(key).c_str());
  if (request.offered_protocol) MHD_add_response_header(response, "Sec-WebSocket-Protocol", kStreamProtocol);
  const MHD_Result result = MHD_queue_response(request.connection, MHD_HTTP_SWITCHING_PROTOCOLS, response);
  MHD_destroy_response(response);
  request.phase = RequestContext::Phase::Answered;
  return result;
}

void ServerCore::on_upgraded(void* self, MHD_Connection* connection, void* context, const char* extra_in,
                             std::size_t extra_in_size, MHD_socket socket, MHD_UpgradeResponseHandle* handle) {
  (void)connection;
  auto& core = *static_cast<ServerCore*>(self);
  const auto& request = *static_cast<const RequestContext*>(context);
  HubClient client;
  client.info = StreamInfo{core.next_stream_id_++, request.peer, StreamFilter::from_query(request.target.query)};
  client.fd = socket;
  client.handle = handle;
  if (extra_in_size > 0) client.extra_in.assign(extra_in, extra_in_size);
  core.hub_.add(std::move(client));
}

// Every refusal is logged once, with its origin, and answered {"error": ...}.
MHD_Result ServerCore::refuse(RequestContext& request, int status, const std::string& message) {
  sink_.on_log(std::to_string(status) + " from " + request.peer + " (" + request.method + " " + request.target.path +
               "): " + message);
  Response response = Response::error(status, message);
  if (status == 401) response.headers.emplace_back(MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  return send(request, response);
}

MHD_Result ServerCore::send(RequestContext& request, const Response& response) {
  request.phase = RequestContext::Phase::Answered;
  MHD_Response* made = make_response(response);
  if (made == nullptr) return MHD_NO;
  const MHD_Result result = MHD_queue_response(request.connection, static_cast<unsigned>(response.status), made);
  MHD_destroy_response(made);
  return result;
}

void ServerCore::on_completed(void* self, MHD_Connection* connection, void** context,
                              MHD_RequestTerminationCode code) {
  (void)connection;
  auto& core = *static_cast<ServerCore*>(self);
  auto* request = static_cast<RequestContext*>(*context);
  if (request == nullptr) return;
  *context = nullptr;
  if (code == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED) {
    core.sink_.on_log("connection from " + request->peer + " timed out (" + request->method + " " +
                      request->target.path + ")");
  }
  {
    const std::lock_guard lock(core.mutex_);
    if (request->phase == RequestContext::Phase::Waiting) {
      // Resumed but closed before the handler ran again, or (at stop) still waiting.
      if (request->resumed) --core.resuming_;
      else core.waiting_.erase(request->id);
    }
    --core.live_;
  }
  core.changed_.notify_all();
  delete request;
}

void ServerCore::on_library_log(void* self, const char* format, va_list arguments) {
  auto& core = *static_cast<ServerCore*>(self);
  std::array<char, 512> buffer{};
  std::vsnprintf(buffer.data(), buffer.size(), format, arguments);
  std::string message(buffer.data());
  while (!message.empty() && (message.back() == '\n' || message.back() == '.')) message.pop_back();
  {
    const std::lock_guard lock(core.mutex_);
    core.last_library_message_ = message;
  }
  core.sink_.on_log("libmicrohttpd: " + message);
}

}  // namespace er::http
