#include "session.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <unistd.h>

#include "adapters/http_client/client.h"
#include "adapters/mqtt/bridge.h"
#include "api_bridge.h"
#include "api_files.h"
#include "arg_reader.h"
#include "duration.h"
#include "port/linux_dir_watch.h"

namespace er::cli {

// Engine log lines (sys task failures, native.log) go to the command's error stream;
// std::cerr is tied to std::cout, so the two stay in order on a terminal.
class Session::StreamHost final : public luasys::Host {
 public:
  explicit StreamHost(std::ostream& err) : err_(err) {}
  void write_log(luasys::LogLevel /*level*/, std::string_view line) override {
    err_ << line << '\n';
    err_.flush();
  }
  void reboot(std::string_view /*reason*/) override {}  // The loop then stops (Reboot).

 private:
  std::ostream& err_;
};

namespace {

// ---- Functions handed to Lua ------------------------------------------------------
// Each keeps the longjmp rule of luabind/runtime.h: arguments are checked first, and
// while anything may raise, no C++ object with a destructor is alive on the C stack.

// out(text) / err(text): writes text to the stream in upvalue 1, flushed so that a
// real-time timeline appears as it happens.
int write_text(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  auto* stream = static_cast<std::ostream*>(lua_touserdata(L, lua_upvalueindex(1)));
  stream->write(text, static_cast<std::streamsize>(length));
  stream->flush();
  return 0;
}

using Entries = std::vector<std::pair<std::string, const char*>>;

// What a folder entry is, as the home loader reports it (symbolic links followed).
const char* kind_of(const std::filesystem::directory_entry& entry) {
  std::error_code error;
  const std::filesystem::file_status status = entry.status(error);
  if (error) return "broken link";
  switch (status.type()) {
    case std::filesystem::file_type::regular: return "file";
    case std::filesystem::file_type::directory: return "folder";
    case std::filesystem::file_type::fifo: return "FIFO";
    case std::filesystem::file_type::character:
    case std::filesystem::file_type::block: return "device";
    case std::filesystem::file_type::socket: return "socket";
    default: return "special file";
  }
}

// Fills `entries` with every entry of `dir` (name, kind), sorted by name; false when
// the folder cannot be read.
bool collect_entries(const char* dir, Entries& entries) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) return false;
  for (const auto& entry : it) entries.emplace_back(entry.path().filename().string(), kind_of(entry));
  std::sort(entries.begin(), entries.end());
  return true;
}

// host.list_dir(path) -> names, kinds (arrays in name order; kind "file", "folder",
// "FIFO", "device", ...) | nil, message. The entries live in a userdata (with a __gc)
// while they are copied into Lua.
int list_dir(lua_State* L) {
  const char* dir = luaL_checkstring(L, 1);
  void* memory = lua_newuserdatauv(L, sizeof(Entries), 0);
  auto* entries = new (memory) Entries();
  lua_newtable(L);  // The metatable: destroys the vector when collected.
  lua_pushcfunction(L, [](lua_State* state) -> int {
    static_cast<Entries*>(lua_touserdata(state, 1))->~Entries();
    return 0;
  });
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  if (!collect_entries(dir, *entries)) {
    lua_pushnil(L);
    lua_pushfstring(L, "cannot read folder '%s'", dir);
    return 2;
  }
  const int count = static_cast<int>(entries->size());
  lua_createtable(L, count, 0);
  lua_createtable(L, count, 0);
  for (int i = 0; i < count; ++i) {
    const auto& [name, kind] = (*entries)[static_cast<std::size_t>(i)];
    lua_pushlstring(L, name.data(), name.size());
    lua_rawseti(L, -3, i + 1);
    lua_pushstring(L, kind);
    lua_rawseti(L, -2, i + 1);
  }
  return 2;
}

// host.mqtt_start(config_json, devices_json, home_dir) -> transport | nil, message.
// Upvalue 1: the Session.
int mqtt_start(lua_State* L) {
  auto* session = static_cast<Session*>(lua_touserdata(L, lua_upvalueindex(1)));
  std::size_t config_size = 0;
  std::size_t devices_size = 0;
  const char* config = luaL_checklstring(L, 1, &config_size);
  const char* devices = luaL_checklstring(L, 2, &devices_size);
  const char* home = luaL_checkstring(L, 3);
  if (!session->start_mqtt({config, config_size}, {devices, devices_size}, home)) {
    lua_pushnil(L);
    lua_pushlstring(L, session->mqtt_error().data(), session->mqtt_error().size());
    return 2;
  }
  session->mqtt()->push_transport(L);
  return 1;
}

// host.http() -> the transport er.http attaches. Upvalue 1: the Session.
int http_transport(lua_State* L) {
  auto* session = static_cast<Session*>(lua_touserdata(L, lua_upvalueindex(1)));
  session->http_client().push_transport(L);
  return 1;
}

// host.api_start() -> api [, token] | nil, message. The token comes back only when the
// run must show it (--state none): it is printed once in the start banner.
int api_start(lua_State* L) {
  auto* session = static_cast<Session*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (!session->start_api()) {
    lua_pushnil(L);
    lua_pushlstring(L, session->api_error().data(), session->api_error().size());
    return 2;
  }
  session->api()->push_lua(L);
  if (!session->api_prints_token()) return 1;
  lua_pushlstring(L, session->api_token().data(), session->api_token().size());
  return 2;
}

// host.watch_home(dir) -> true | nil, message.
int watch_home(lua_State* L) {
  auto* session = static_cast<Session*>(lua_touserdata(L, lua_upvalueindex(1)));
  const char* dir = luaL_checkstring(L, 1);
  bool watching = false;
  {
    const std::string path = dir;
    watching = session->watch_home(path);
  }
  if (watching) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "cannot watch '%s' for changes", dir);
  return 2;
}

// ---- The protected call into er.cli -------------------------------------------------

struct CallFrame {
  Session* session;
  const char* function;
  const LuaRequest* request;
  std::ostream* out;
  std::ostream* err;
  LuaReply* reply;
};

void push_request(lua_State* L, const LuaRequest& request) {
  lua_createtable(L, static_cast<int>(request.list.size()), 8);
  for (std::size_t i = 0; i < request.list.size(); ++i) {
    lua_pushlstring(L, request.list[i].data(), request.list[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  for (const auto& [name, text] : request.strings) {
    lua_pushlstring(L, text.data(), text.size());
    lua_setfield(L, -2, name.c_str());
  }
  for (const auto& [name, flag] : request.flags) {
    lua_pushboolean(L, flag ? 1 : 0);
    lua_setfield(L, -2, name.c_str());
  }
}

void push_writer(lua_State* L, std::ostream* stream) {
  lua_pushlightuserdata(L, stream);
  lua_pushcclosure(L, write_text, 1);
}

void set_integer(lua_State* L, const char* name, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, name);
}

// The `host` argument of every er.cli function: the folder listing, MQTT and the exit
// codes.
void push_host(lua_State* L, Session* session) {
  lua_createtable(L, 0, 7);
  lua_pushcfunction(L, list_dir);
  lua_setfield(L, -2, "list_dir");
  lua_pushlightuserdata(L, session);
  lua_pushcclosure(L, mqtt_start, 1);
  lua_setfield(L, -2, "mqtt_start");
  lua_pushlightuserdata(L, session);
  lua_pushcclosure(L, http_transport, 1);
  lua_setfield(L, -2, "http");
  lua_pushlightuserdata(L, session);
  lua_pushcclosure(L, api_start, 1);
  lua_setfield(L, -2, "api_start");
  lua_pushlightuserdata(L, session);
  lua_pushcclosure(L, watch_home, 1);
  lua_setfield(L, -2, "watch_home");
  const std::string_view version_text = version();
  lua_pushlstring(L, version_text.data(), version_text.size());
  lua_setfield(L, -2, "version");
  lua_createtable(L, 0, 4);
  set_integer(L, "ok", kExitOk);
  set_integer(L, "errors", kExitErrors);
  set_integer(L, "usage", kExitUsage);
  set_integer(L, "suspended", kEvalSuspended);
  lua_setfield(L, -2, "exit");
}

// Argument 1: the CallFrame. Calls the function and stores its integer results.
int call_cli_function(lua_State* L) {
  const auto* frame = static_cast<const CallFrame*>(lua_touserdata(L, 1));
  lua_getglobal(L, "require");
  lua_pushliteral(L, "er.cli");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, frame->function);
  push_request(L, *frame->request);
  push_writer(L, frame->out);
  push_writer(L, frame->err);
  push_host(L, frame->session);
  const int base = lua_gettop(L) - 5;
  lua_call(L, 4, LUA_MULTRET);
  for (int i = 0; i < 4 && base + 1 + i <= lua_gettop(L); ++i) {
    frame->reply->values[i] = lua_tointeger(L, base + 1 + i);
  }
  return 0;
}

}  // namespace

Session::Session(Streams& streams, const SessionOptions& options)
    : streams_(streams), api_options_(options.api) {
  if (options.virtual_clock) {
    clock_ = std::make_unique<luasys::VirtualClock>(port_.wall_ms());
  } else {
    clock_ = std::make_unique<luasys::RealClock>(port_);
  }
  host_ = std::make_unique<StreamHost>(streams.err);
  EngineOptions engine_options;
  engine_options.store = options.store;
  engine_options.loop.heap_limit = options.heap_limit;
  engine_options.loop.slice_limit_ms = options.slice_limit_ms;
  engine_options.instruction_budget = options.instruction_budget;
  engine_options.host_modules = app_lua_modules();
  // Development: ER_LUA_DIR="rules/lua;app/eventrunner/lua" loads the Lua from the tree.
  if (const char* lua_dir = std::getenv("ER_LUA_DIR"); lua_dir != nullptr) engine_options.lua_dir = lua_dir;
  engine_ = std::make_unique<Engine>(*host_, port_, *clock_, engine_options);
  if (!engine_->ok()) {
    streams.err << "eventrunner: engine failed to start: " << engine_->boot_error() << '\n';
    return;
  }
  watchdog_ = std::make_unique<luasys::LinuxWatchdog>(engine_->runtime(), port_);
}

Session::~Session() {
  if (mqtt_) mqtt_->stop();  // No network thread posts to the bus after this.
  if (http_client_) http_client_->stop();
  home_watch_.reset();
  if (api_) {
    api_->stop();
    if (!api_options_->url_file.empty()) ::unlink(api_options_->url_file.c_str());
  }
  watchdog_.reset();  // Before the engine it watches.
}

bool Session::start_mqtt(std::string_view config_json, std::string_view devices_json, const std::string& home_dir) {
  if (mqtt_) {
    mqtt_error_ = "MQTT is already connected";
    return false;
  }
  mqtt_ = mqtt::MqttBridge::create(engine_->runtime().bus(), config_json, devices_json, home_dir, &mqtt_error_);
  if (!mqtt_) return false;
  mqtt_->start();
  return true;
}

http_client::HttpClient& Session::http_client() {
  if (!http_client_) http_client_ = std::make_unique<http_client::HttpClient>(engine_->runtime().bus());
  return *http_client_;
}

bool Session::start_api() {
  if (api_ || api_options_ == nullptr || !api_options_->enabled) {
    api_error_ = api_ ? "the API is already served" : "the API is off";
    return false;
  }
  api_ = ApiBridge::start(engine_->runtime().bus(), *api_options_, api_error_);
  if (!api_) return false;
  if (!http::is_loopback(api_options_->endpoint.address) && api_options_->tls_cert_file.empty()) {
    streams_.err << "eventrunner: warning: the API listens on " << api_options_->endpoint.address
                 << " without TLS: its token and answers cross the network in clear (use --tls-cert and "
                    "--tls-key, or a loopback address)\n";
  }
  if (!api_options_->url_file.empty() && !write_private_file(api_options_->url_file, api_->url(), api_error_)) {
    api_.reset();
    return false;
  }
  return true;
}

bool Session::api_prints_token() const { return api_options_ != nullptr && api_options_->print_token; }
const std::string& Session::api_token() const { return api_options_->token; }

bool Session::watch_home(const std::string& dir) {
  luasys::Bus& bus = engine_->runtime().bus();
  home_watch_ = std::make_unique<luasys::LinuxDirWatch>(dir, [&bus](const std::string& name) {
    luasys::Message message;
    message.id = luasys::StaticText{"er.api"};
    message.args = {luasys::StaticText{"file"}, name, {}, {}};
    message.argc = 2;
    bus.try_post(std::move(message));  // A lost change is caught by the next one.
  });
  if (home_watch_->ok()) return true;
  home_watch_.reset();
  return false;
}

void Session::post_to_lua(luasys::StaticText kind) {
  luasys::Message message;
  message.id = luasys::StaticText{"er.api"};
  message.args = {kind, {}, {}, {}};
  message.argc = 1;
  engine_->runtime().bus().try_post(std::move(message));
}

bool apply_session_option(ArgReader& reader, SessionOptions& options) {
  if (reader.name() == "--slice-limit") {
    const std::optional<std::string> text = reader.value();
    if (!text) return true;
    const std::optional<double> ms = luasys::app::parse_non_negative(*text);
    if (!ms || *ms != static_cast<double>(static_cast<luasys::Millis>(*ms))) {
      reader.fail("--slice-limit: expected whole milliseconds, got '" + *text + "'");
    } else {
      options.slice_limit_ms = static_cast<luasys::Millis>(*ms);
    }
    return true;
  }
  if (reader.name() != "--heap-limit") return false;
  const std::optional<std::string> text = reader.value();
  if (!text) return true;
  const std::optional<std::size_t> limit = luasys::app::parse_size(*text);
  if (!limit) {
    reader.fail("--heap-limit: invalid size '" + *text + "' (e.g. 64m, 1g, 0 for none)");
  } else {
    options.heap_limit = *limit;
    options.heap_limit_given = true;
  }
  return true;
}

LuaReply Session::call(const char* function, const LuaRequest& request) {
  LuaReply reply;
  CallFrame frame{this, function, &request, &streams_.out, &streams_.err, &reply};
  lua_State* L = engine_->lua();
  lua_pushcfunction(L, call_cli_function);
  lua_pushlightuserdata(L, &frame);
  const luasys::CallResult result = engine_->runtime().call(1);
  reply.ok = result.status != luasys::CallResult::Status::Error;
  if (!reply.ok) reply.message = result.message + "\n" + result.traceback;
  return reply;
}

luasys::RunResult Session::run_loop(luasys::Millis until) {
  luasys::RunOptions options;
  options.until = until;
  return engine_->runtime().run(options);
}

}  // namespace er::cli
