#pragma once
// The EventRunner engine: one LuaSys runtime with the engine's Lua modules loaded and
// the global `er` (spec §12) defined. Most of the engine is Lua (rules/lua/er/*.lua,
// compiled into the binary); this class boots it and provides the native pieces the
// Lua side cannot do itself: the EventScript compiler, the calendar, the state store
// and the per-run instruction budget. docs/engine-internals.md describes the split.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>

#include <lua.hpp>

#include "core/clock.h"
#include "core/port.h"
#include "luabind/runtime.h"
#include "rules/embedded_lua.h"
#include "rules/state_store.h"

namespace er {

/// Where the home is: the calendar's inputs (spec §0 reference setting by default).
struct Place {
  double latitude = 52.52;
  double longitude = 13.405;
  std::string tz = "CET-1CEST,M3.5.0,M10.5.0/3";  ///< POSIX TZ rule, as on ESP-IDF.
};

struct EngineOptions {
  luasys::LoopOptions loop;
  Place place;
  /// Lua instructions one run may execute between two suspensions before it is stopped
  /// with a runtime error; 0 (the default) disables this count hook. Runaway runs are
  /// stopped by the runtime's slice watchdog (LoopOptions::slice_limit_ms, with a
  /// watchdog thread such as LinuxWatchdog), which costs nothing until a run overruns.
  /// The budget is the deterministic alternative, for hosts without a watchdog and
  /// for tests: it slows runs that loop or call functions by about a third.
  std::uint64_t instruction_budget = 0;
  /// Where globals, device state and rule flags persist; nullptr keeps them in memory.
  StateStore* store = nullptr;
  /// Lua modules of the host (its command line, its tests), requirable beside the
  /// engine's; the span must outlive the engine.
  std::span<const EmbeddedLuaModule> host_modules;
  /// Development only: load the Lua modules from these folders (separated by ';', e.g.
  /// "rules/lua;app/eventrunner/lua") instead of the embedded copies, so Lua edits need
  /// no rebuild.
  std::string lua_dir;
};

namespace detail {
struct EngineContext;
}

class Engine {
 public:
  Engine(luasys::Host& host, luasys::Port& port, luasys::Clock& clock,
         const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// The engine's LuaSys runtime (run the loop with runtime().run()).
  [[nodiscard]] luasys::Runtime& runtime();
  [[nodiscard]] lua_State* lua();

  /// Calls `require(module)[function]` with string arguments in protected mode; its
  /// results are dropped. For the command line (er.cli's functions).
  luasys::CallResult call(const char* module, const char* function,
                          std::initializer_list<std::string> args = {});

  /// True once the Lua side booted without error (otherwise boot_error() says why).
  [[nodiscard]] bool ok() const;
  [[nodiscard]] const std::string& boot_error() const;

 private:
  std::unique_ptr<detail::EngineContext> context_;
  std::unique_ptr<StateStore> owned_store_;  // When EngineOptions::store is nullptr.
  std::unique_ptr<luasys::Runtime> runtime_;
  std::string boot_error_;
};

}  // namespace er
