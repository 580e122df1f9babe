// luasys: runs a Lua script on the LuaSys runtime (spec §11).
//
// Exit status: 0 done (nothing left to do, or --for elapsed); 1 uncaught error in a
// chunk; 2 usage error or unreadable script; 75 rtos.reboot; 130/143 SIGINT/SIGTERM.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "luabind/runtime.h"
#include "options.h"
#include "port/linux_port.h"
#include "port/linux_watchdog.h"
#include "signals.h"

namespace luasys::app {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitReboot = 75;

// Log lines go to standard error; standard output is flushed first so that the two
// streams interleave in the order things happened.
class LinuxHost final : public Host {
 public:
  void write_log(LogLevel /*level*/, std::string_view line) override {
    std::fflush(stdout);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fputc('\n', stderr);
  }
  void reboot(std::string_view /*reason*/) override {
    std::fflush(stdout);
    std::fflush(stderr);
    std::exit(kExitReboot);  // The hooks already ran; a supervisor restarts us.
  }
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "luasys: %s\n%s", message.c_str(), std::string(usage_text()).c_str());
  return kExitUsage;
}

// What the globals setup needs; strings are prepared before any Lua call.
struct GlobalsSetup {
  int argc = 0;
  char** argv = nullptr;
  int script_index = 0;
  std::string script_dir;  // Empty: no script file.
};

// Sets the global `arg` as the lua command builds it (arg[0] is the script, positive
// indices its arguments, negative ones what came before it) and puts
// "<script dir>/?.lua;" in front of package.path. Runs in protected mode (see run()).
int setup_globals(lua_State* L) {
  const auto* setup = static_cast<const GlobalsSetup*>(lua_touserdata(L, 1));
  lua_createtable(L, setup->argc - setup->script_index, setup->script_index + 1);
  for (int i = 0; i < setup->argc; ++i) {
    lua_pushstring(L, setup->argv[i]);
    lua_rawseti(L, -2, i - setup->script_index);
  }
  lua_setglobal(L, "arg");
  if (setup->script_dir.empty() || lua_getglobal(L, "package") != LUA_TTABLE) return 0;
  lua_getfield(L, -1, "path");
  lua_pushfstring(L, "%s/?.lua;%s", setup->script_dir.c_str(),
                  lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
  lua_setfield(L, -3, "path");
  return 0;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return path.substr(0, slash == 0 ? 1 : slash);
}

void print_error(const CallResult& result) {
  std::fflush(stdout);
  std::fprintf(stderr, "luasys: %s\n", result.message.c_str());
  if (!result.traceback.empty()) std::fprintf(stderr, "%s\n", result.traceback.c_str());
  std::fflush(stderr);
}

// The outcome of running the chunks: go on to the loop, or end with a status.
struct ChunkOutcome {
  bool stopped = false;  ///< sys.run inside a chunk ended by time, signal or reboot.
  int exit_status = -1;  ///< >= 0: end now with this status (hooks run first).
};

ChunkOutcome run_chunk(Runtime& runtime, int nargs) {
  const CallResult result = runtime.call(nargs);
  if (result.status == CallResult::Status::Error) {
    print_error(result);
    return ChunkOutcome{false, kExitError};
  }
  return ChunkOutcome{result.status == CallResult::Status::Stopped, -1};
}

ChunkOutcome run_command_line_chunks(Runtime& runtime, const CommandLine& line) {
  lua_State* L = runtime.lua();
  for (const std::string& chunk : line.chunks) {
    if (luaL_loadbuffer(L, chunk.data(), chunk.size(), "=(command line)") != LUA_OK) {
      print_error(CallResult{CallResult::Status::Error, lua_tostring(L, -1), {}});
      lua_pop(L, 1);
      return ChunkOutcome{false, kExitError};
    }
    const ChunkOutcome outcome = run_chunk(runtime, 0);
    if (outcome.stopped || outcome.exit_status >= 0) return outcome;
  }
  return {};
}

ChunkOutcome run_script(Runtime& runtime, const CommandLine& line) {
  lua_State* L = runtime.lua();
  const bool from_stdin = !line.script || *line.script == "-";
  const int status = luaL_loadfilex(L, from_stdin ? nullptr : line.script->c_str(), nullptr);
  if (status == LUA_ERRFILE) {
    std::fprintf(stderr, "luasys: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return ChunkOutcome{false, kExitUsage};
  }
  if (status != LUA_OK) {
    print_error(CallResult{CallResult::Status::Error, lua_tostring(L, -1), {}});
    lua_pop(L, 1);
    return ChunkOutcome{false, kExitError};
  }
  luaL_checkstack(L, static_cast<int>(line.script_args.size()) + 1, "too many arguments");
  for (const std::string& value : line.script_args) lua_pushlstring(L, value.data(), value.size());
  return run_chunk(runtime, static_cast<int>(line.script_args.size()));
}

int exit_status_after_loop(const Runtime& runtime, int signal_number) {
  switch (runtime.stop_reason()) {
    case StopReason::Reboot:
      return kExitReboot;
    case StopReason::Stopped:
      return signal_number != 0 ? 128 + signal_number : 0;
    default:
      return 0;
  }
}

int run(const CommandLine& line, int argc, char** argv) {
  LinuxPort port;
  VirtualClock virtual_clock(port.wall_ms());
  RealClock real_clock(port);
  Clock& clock = line.virtual_time ? static_cast<Clock&>(virtual_clock) : real_clock;
  LinuxHost host;
  Runtime runtime(host, port, clock, line.loop);
  // Both end before the runtime. The watchdog enforces --slice-limit and interrupts a
  // busy slice after a signal; it uses the real monotonic clock even under
  // --virtual-time, so a runaway is caught there too.
  LinuxWatchdog watchdog(runtime, port);
  SignalWatcher signals = stop_on_signal(runtime);

  GlobalsSetup setup{argc, argv, line.script_index, {}};
  if (line.script && *line.script != "-") setup.script_dir = directory_of(*line.script);
  lua_pushcfunction(runtime.lua(), setup_globals);
  lua_pushlightuserdata(runtime.lua(), &setup);
  ChunkOutcome outcome = run_chunk(runtime, 1);  // Protected: reports "not enough memory".
  if (outcome.exit_status < 0 && !outcome.stopped) outcome = run_command_line_chunks(runtime, line);
  const bool has_script = line.script.has_value() || line.chunks.empty();
  if (!outcome.stopped && outcome.exit_status < 0 && has_script)
    outcome = run_script(runtime, line);
  if (outcome.exit_status < 0 && !outcome.stopped && !runtime.run_called()) runtime.run();
  runtime.run_shutdown_hooks();
  std::fflush(stdout);
  if (outcome.exit_status >= 0) return outcome.exit_status;
  return exit_status_after_loop(runtime, signals.received());
}

}  // namespace
}  // namespace luasys::app

int main(int argc, char** argv) {
  using namespace luasys::app;
  block_termination_signals();
  std::string error;
  const auto line = parse_command_line(argc, argv, error);
  if (!line) return usage_error(error);
  if (line->show_help) {
    std::fputs(std::string(usage_text()).c_str(), stdout);
    return 0;
  }
  if (line->show_version) {
    std::puts("LuaSys-1.0.0");
    return 0;
  }
  if (!line->script && line->chunks.empty() && isatty(STDIN_FILENO) != 0) {
    return usage_error("no script given");
  }
  return run(*line, argc, argv);
}
