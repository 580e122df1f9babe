#pragma once
// One engine for a subcommand (run, eval, test): the Linux port, the loop clock
// (virtual or real), a host that writes log lines to the command's error stream, and
// the er::Engine. The subcommands do their work in the Lua module er.cli
// (app/eventrunner/lua/er/cli.lua); call() invokes one of its functions with a request
// table and the command's output streams.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "api_options.h"
#include "cli.h"
#include "port/linux_port.h"
#include "port/linux_watchdog.h"
#include "rules/engine.h"

namespace er::mqtt {
class MqttBridge;
}  // namespace er::mqtt

namespace er::http_client {
class HttpClient;
}  // namespace er::http_client

namespace luasys {
class LinuxDirWatch;
}  // namespace luasys

namespace er {
/// The command's own Lua modules (app/eventrunner/lua: er.cli, eventrunner.test),
/// embedded at build time.
std::span<const EmbeddedLuaModule> app_lua_modules();
}  // namespace er

namespace er::cli {

class ApiBridge;

/// The fields of the request table an er.cli function receives as its first argument.
struct LuaRequest {
  std::vector<std::pair<std::string, std::string>> strings;  ///< request[name] = text
  std::vector<std::pair<std::string, bool>> flags;           ///< request[name] = boolean
  std::vector<std::string> list;                             ///< request[1..n] (files)
};

/// What an er.cli function returned: up to four integers (missing ones are 0).
struct LuaReply {
  bool ok = false;        ///< False when the function raised (message says why).
  std::string message;    ///< The error with its traceback.
  std::int64_t values[4] = {0, 0, 0, 0};
};

/// The Lua heap limit of the commands' engines unless --heap-limit says otherwise: a
/// home needs a few MB, so this only stops a runaway rule long before the machine
/// runs out of memory.
inline constexpr std::size_t kDefaultHeapLimit = std::size_t{256} * 1024 * 1024;

struct SessionOptions {
  bool virtual_clock = true;
  /// Where the engine persists state; nullptr keeps it in memory.
  StateStore* store = nullptr;
  /// The Lua heap limit in bytes (0: none).
  std::size_t heap_limit = kDefaultHeapLimit;
  /// --heap-limit was given: it wins over home.lua's heap_limit.
  bool heap_limit_given = false;
  /// Real milliseconds a run may compute without waiting (0: no limit); the session's
  /// watchdog interrupts it (docs/limits.md).
  luasys::Millis slice_limit_ms = 1000;
  /// The engine's instruction budget per run (0: none; EngineOptions).
  std::uint64_t instruction_budget = 0;
  /// The control API to serve when the Lua side asks (host.api_start); nullptr: none.
  const ApiOptions* api = nullptr;
};

class ArgReader;

/// Applies an option shared by the commands that run an engine (`--heap-limit SIZE`,
/// `--slice-limit MS`) if it is the current one; false when it is not.
bool apply_session_option(ArgReader& reader, SessionOptions& options);

class Session {
 public:
  Session(Streams& streams, const SessionOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// True when the engine booted; otherwise the reason was written to the error stream.
  [[nodiscard]] bool ok() const { return engine_->ok(); }
  [[nodiscard]] Engine& engine() { return *engine_; }
  [[nodiscard]] luasys::Clock& clock() { return *clock_; }

  /// Calls require("er.cli")[function](request, out, err, host) in protected mode, where
  /// `out` and `err` write text to the command's streams and `host` holds the
  /// filesystem helpers the Lua side cannot have (host.list_dir).
  LuaReply call(const char* function, const LuaRequest& request);

  /// Runs the loop until `until` on the loop clock (kForever: until stopped or idle).
  luasys::RunResult run_loop(luasys::Millis until);

  /// Creates the MQTT bridge for a home's `mqtt` table and devices (JSON) and starts
  /// connecting; false with mqtt_error() set when the configuration is wrong.
  bool start_mqtt(std::string_view config_json, std::string_view devices_json, const std::string& home_dir);
  [[nodiscard]] mqtt::MqttBridge* mqtt() { return mqtt_.get(); }
  [[nodiscard]] const std::string& mqtt_error() const { return mqtt_error_; }

  /// The client for rules' outgoing HTTP and mail (created on first use).
  http_client::HttpClient& http_client();

  /// Starts serving the control API of SessionOptions::api and writes its URL file;
  /// false with api_error() set when it cannot listen or the options say none.
  bool start_api();
  [[nodiscard]] ApiBridge* api() { return api_.get(); }
  [[nodiscard]] const std::string& api_error() const { return api_error_; }
  /// The run shows its token once (--state none without --token-file).
  [[nodiscard]] bool api_prints_token() const;
  [[nodiscard]] const std::string& api_token() const;

  /// Watches the home folder `dir`: each changed file posts ("er.api", "file", name).
  bool watch_home(const std::string& dir);

  /// Posts ("er.api", kind) for the Lua side; callable from any thread (a signal
  /// watcher asks for a reload this way).
  void post_to_lua(luasys::StaticText kind);

 private:
  class StreamHost;

  Streams& streams_;
  luasys::LinuxPort port_;
  std::unique_ptr<luasys::Clock> clock_;
  std::unique_ptr<StreamHost> host_;
  // Before the engine, so it is destroyed after it: the engine's Lua holds functions
  // that call the bridge (its network thread is stopped first, in ~Session).
  std::unique_ptr<mqtt::MqttBridge> mqtt_;
  std::string mqtt_error_;
  std::unique_ptr<http_client::HttpClient> http_client_;  // Likewise.
  const ApiOptions* api_options_ = nullptr;
  std::unique_ptr<ApiBridge> api_;  // Before the engine too: its Lua calls the bridge.
  std::string api_error_;
  std::unique_ptr<luasys::LinuxDirWatch> home_watch_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<luasys::LinuxWatchdog> watchdog_;  // After the engine: it stops first.
};

}  // namespace er::cli
