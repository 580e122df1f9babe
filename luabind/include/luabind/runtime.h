#pragma once
// The LuaSys runtime: one Lua state with the `sys`, `rtos` and `log` modules, driven by
// core's event loop. The host (the luasys command, the ESP32 firmware, a test) supplies
// the port, the clock and a small Host interface for the things luabind must not do
// itself: write log lines and restart the device.
//
// Errors across C++ frames. Debian builds Lua as C, so lua_error unwinds with longjmp
// and skips C++ destructors. Two rules follow, and every file in luabind keeps them:
//   1. In a frame that may raise a Lua error (any luaL_check*, luaL_error, lua_error,
//      or an allocating lua_* call such as lua_pushstring or lua_newtable), no C++
//      object with a non-trivial destructor is alive. Lua functions check all their
//      arguments first and only then touch C++ containers, which never raise.
//   2. Code called from C++ that is not itself a Lua C function (the loop's handler
//      callbacks, Runtime's public methods) runs its Lua work inside lua_pcall, so no
//      longjmp ever crosses the event loop or the host. A failure there (in practice
//      only "not enough memory") is reported as a log line and the loop goes on.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "core/bus.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "core/loop_lag.h"
#include "core/message.h"
#include "core/port.h"
#include "core/time.h"
#include "core/watchdog.h"

namespace luasys {

/// Log levels, as numbers log.getLevel() returns. Keep in sync with log.cpp's names.
enum class LogLevel : int { Silent = 0, Debug = 1, Info = 2, Warn = 3, Error = 4 };

/// Runtime configuration (spec §9). Every default is the Linux default.
struct LoopOptions {
  /// Pending-timer limit over callback timers, task timeouts and rtos timers; 0 means
  /// unlimited (ESP32: CONFIG_LUASYS_MAX_TIMERS = 64).
  std::size_t max_timers = 0;
  /// Bus capacity in messages, allocated once (CONFIG_LUASYS_BUS_SLOTS).
  std::size_t bus_slots = 256;
  /// Lua heap limit in bytes; 0 means none. Past it an allocation fails after Lua's
  /// emergency full collection, which Lua reports as "not enough memory".
  std::size_t heap_limit = 0;
  /// Initial log level, 0 (silent) to 4 (errors only); 1 is DEBUG (everything).
  int log_level = static_cast<int>(LogLevel::Debug);
  /// Loop-clock limit for sys.run (the --for option); kForever means none.
  Millis run_until = kForever;
  /// Runaway protection: the longest a slice (a task resume, a timer or subscriber
  /// callback, a shutdown hook) may run without returning to the loop, in real
  /// milliseconds (also under a virtual clock); 0 turns it off. Past it the slice gets
  /// the error "run time limit exceeded (N ms without yielding)". Enforced only while
  /// a watchdog calls Runtime::watchdog_tick (port/linux: LinuxWatchdog).
  Millis slice_limit_ms = 1000;
  /// After Runtime::interrupt_and_stop(), how long Lua code may still run before the
  /// watchdog interrupts it, in real milliseconds: well-behaved code finishes the pass.
  Millis stop_grace_ms = 250;
  /// Opens Lua's standard libraries too (luaL_openlibs). Off only for minimal embeds.
  bool open_standard_libs = true;
};

/// Memory figures as rtos.meminfo returns them: total (0: no limit), used, high-water.
struct MemoryFigures {
  std::size_t total = 0;
  std::size_t used = 0;
  std::size_t max_used = 0;
};

/// What the embedding program provides. Called on the loop thread only.
class Host {
 public:
  virtual ~Host() = default;
  /// Writes one finished log line (no trailing newline). Linux: standard error, after
  /// flushing standard output so the two streams stay in order.
  virtual void write_log(LogLevel level, std::string_view line) = 0;
  /// Restarts the device after rtos.reboot logged and ran the shutdown hooks. Linux:
  /// exit status 75; ESP32: esp_restart(). A host that returns (a test) makes the
  /// runtime stop the loop after the current pass instead (StopReason::Reboot).
  virtual void reboot(std::string_view reason) = 0;
  /// rtos.bsp(): "PC" on Linux, the chip name on ESP32.
  [[nodiscard]] virtual std::string_view board() const { return "PC"; }
  /// rtos.meminfo("sys") and ("psram"): port heap figures (0, 0, 0 on Linux).
  [[nodiscard]] virtual MemoryFigures port_memory(std::string_view /*kind*/) const { return {}; }
};

/// Why the program should end, once the loop has stopped.
enum class StopReason {
  None,     ///< Still running, or the loop ran out of work.
  TimeUp,   ///< LoopOptions::run_until was reached.
  Stopped,  ///< request_stop() (SIGINT/SIGTERM on Linux).
  Reboot,   ///< rtos.reboot() with a host whose reboot() returned.
};

/// The outcome of Runtime::call.
struct CallResult {
  enum class Status {
    Ok,       ///< The function returned.
    Error,    ///< It raised: `message` and `traceback` are set.
    Stopped,  ///< sys.run inside it ended by time, stop request or reboot; the rest of
              ///< the function was skipped on purpose (see stop_reason()).
  };
  Status status = Status::Ok;
  std::string message;    ///< The error converted to text.
  std::string traceback;  ///< "stack traceback:\n\t..." at the error.
};

/// For hosts that run units of their own inside one slice (the engine's rule runs):
/// pushes `run`, a function such that run(f, ...) is xpcall(f, msgh, ...) with the
/// function at `handler_index` as msgh, that also gives the call a slice time window of
/// its own and ends there a runaway interrupt ("run time limit exceeded") raised
/// inside it, so the caller's code goes on. While such an interrupt unwinds, msgh is
/// not called (no Lua may run then): the error arrives as raised, a string with the
/// interrupted position. The call may yield. Made once, `run` allocates nothing per
/// call.
void push_protected_runner(lua_State* L, int handler_index);
/// The same as a lua_CFunction: protected_runner(msgh) -> run.
int protected_runner(lua_State* L);

namespace detail {
class Scheduler;
}

/// Owns the Lua state (with a counting allocator), the core timer heap, bus and event
/// loop, and the sys scheduler. Not copyable; all methods except request_stop(),
/// interrupt_and_stop(), watchdog_tick() and bus() posts belong to the loop thread.
class Runtime final : public WatchdogClient {
 public:
  Runtime(Host& host, Port& port, Clock& clock, const LoopOptions& options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// The main Lua state, with `sys`, `rtos`, `log` (and the standard libraries) open.
  [[nodiscard]] lua_State* lua();

  /// Calls the function below `nargs` arguments on top of the main state's stack, in
  /// protected mode with a traceback; pops them. The chunk's results are dropped.
  CallResult call(int nargs);

  /// Runs the loop as sys.run() does, until nothing is left to do, the time limit of
  /// `options` (or LoopOptions::run_until when omitted) is reached, or a stop request.
  /// It may be called again after a time limit (to run the loop in slices).
  RunResult run();
  RunResult run(const RunOptions& options);

  /// Thread-safe: the loop stops after its current pass (StopReason::Stopped).
  void request_stop() noexcept;
  /// Thread-safe, never blocks: request_stop(), and if Lua code is still running
  /// LoopOptions::stop_grace_ms later (a task in an endless loop), interrupt it and any
  /// slice that starts before the loop has stopped. Needs a watchdog (watchdog_tick),
  /// which does the interrupting. The interrupted code unwinds like code after a
  /// sys.run that ended by a stop request: no error report, tasks end, the main chunk's
  /// call returns CallResult::Status::Stopped. Interruption ends when call() or run()
  /// returns, so the shutdown hooks run normally. For SIGINT and SIGTERM.
  void interrupt_and_stop() noexcept;
  /// Thread-safe; from one watchdog thread only (WatchdogClient). If the same slice
  /// has been running for LoopOptions::slice_limit_ms of the monotonic time `now`, arms
  /// a hook that raises "run time limit exceeded" in it until it has unwound; re-arms
  /// on every later tick while the overrun lasts. Does nothing otherwise, and never
  /// blocks.
  void watchdog_tick(Millis now) noexcept override;
  /// Why the loop was stopped; None while running normally or after running out of work.
  [[nodiscard]] StopReason stop_reason() const;
  /// True once sys.run (or run()) has been called, so the host knows whether to call it.
  [[nodiscard]] bool run_called() const;

  /// The bus other threads post to (spec §10).
  [[nodiscard]] Bus& bus();
  /// sys.publish from C++ on the loop thread: queues the message for the next drain.
  void publish(const Message& message);
  /// Runs the sys.onShutdown hooks, newest first, each once.
  void run_shutdown_hooks();

  /// The Lua heap as counted by the allocator (total is the limit, 0 for none).
  [[nodiscard]] MemoryFigures lua_memory() const;
  /// How late timers fire (core/loop_lag.h): recent percentiles and totals.
  [[nodiscard]] LagSummary loop_lag() const;
  /// Changes LoopOptions::heap_limit (0: none); a heap already above it only stops
  /// growing. Loop thread only.
  void set_heap_limit(std::size_t bytes);
  /// Loop thread: `hook` runs at the end of a loop pass, after the pass's ready tasks,
  /// when request_pass_end() asked for it during the pass (or before it): work the host
  /// batches per pass, such as the engine's device-state writes. It may call into Lua
  /// through call(). A new hook replaces the previous one.
  void set_pass_end_hook(std::function<void()> hook);
  /// Loop thread: the hook runs at the end of the current pass, or of the next one when
  /// no pass is running; like a task in sys.wait(0), the request keeps the loop from
  /// idling or ending before that pass. Repeated requests before it count once.
  void request_pass_end();

 private:
  std::unique_ptr<detail::Scheduler> scheduler_;
};

}  // namespace luasys
