// Example firmware: a FreeRTOS task creates the LuaSys runtime (the Lua state with
// sys, rtos and log open) on the FreeRTOS port and runs an embedded script.
// NOT BUILT IN CI: ESP-IDF is not installed on the build machines.

#include <cctype>
#include <cstdio>
#include <string_view>

#include "core/clock.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "luabind/runtime.h"
#include "port/freertos_port.h"
#include "sdkconfig.h"

namespace {

constexpr char kTag[] = "luasys";

// The script a real product would load from flash (SPIFFS, LittleFS) instead.
constexpr char kScript[] = R"lua(
log.info("main", "LuaSys", rtos.version(), "on", rtos.bsp())
sys.taskInit(function()
  for i = 1, 5 do
    log.info("main", "tick", i, "at", sys.now())
    sys.wait(1000)
  end
  sys.publish("DONE", 5)
end)
sys.taskInit(function()
  local ok, count = sys.waitUntil("DONE", 10000)
  log.info("main", "done:", ok, count, "lua heap:", rtos.meminfo())
end)
sys.run()
)lua";

// The board name rtos.bsp() returns: the IDF target in capitals ("ESP32S3").
std::string_view board_name() {
  static char name[16] = {};
  if (name[0] == '\0') {
    std::snprintf(name, sizeof name, "%s", CONFIG_IDF_TARGET);
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

// Log lines go to the ESP-IDF log at the matching level; reboots restart the chip.
class EspHost final : public luasys::Host {
 public:
  void write_log(luasys::LogLevel level, std::string_view line) override {
    const int size = static_cast<int>(line.size());
    switch (level) {
      case luasys::LogLevel::Error: ESP_LOGE(kTag, "%.*s", size, line.data()); break;
      case luasys::LogLevel::Warn: ESP_LOGW(kTag, "%.*s", size, line.data()); break;
      case luasys::LogLevel::Info: ESP_LOGI(kTag, "%.*s", size, line.data()); break;
      default: ESP_LOGD(kTag, "%.*s", size, line.data()); break;
    }
  }
  void reboot(std::string_view /*reason*/) override { esp_restart(); }
  [[nodiscard]] std::string_view board() const override { return board_name(); }
  [[nodiscard]] luasys::MemoryFigures port_memory(std::string_view kind) const override {
    const std::uint32_t caps = kind == "psram" ? MALLOC_CAP_SPIRAM : MALLOC_CAP_INTERNAL;
    const std::size_t total = heap_caps_get_total_size(caps);
    return {total, total - heap_caps_get_free_size(caps),
            total - heap_caps_get_minimum_free_size(caps)};
  }
};

luasys::LoopOptions options_from_kconfig() {
  luasys::LoopOptions options;
  options.max_timers = CONFIG_LUASYS_MAX_TIMERS;
  options.bus_slots = CONFIG_LUASYS_BUS_SLOTS;
  options.heap_limit = CONFIG_LUASYS_HEAP_LIMIT;
  options.log_level = CONFIG_LUASYS_LOG_LEVEL;
  return options;
}

// Everything with a destructor lives here, so that it is destroyed before the task
// deletes itself (vTaskDelete does not return, and would skip the destructors).
void run_script() {
  luasys::FreeRtosPort port;  // Constructed on this task: the loop waits here.
  luasys::RealClock clock(port);
  EspHost host;
  luasys::Runtime runtime(host, port, clock, options_from_kconfig());
  lua_State* lua = runtime.lua();
  if (luaL_loadbufferx(lua, kScript, sizeof kScript - 1, "=main.lua", "t") != LUA_OK) {
    ESP_LOGE(kTag, "%s", lua_tostring(lua, -1));
    lua_pop(lua, 1);
    return;
  }
  const luasys::CallResult result = runtime.call(0);
  if (result.status == luasys::CallResult::Status::Error) {
    ESP_LOGE(kTag, "%s\n%s", result.message.c_str(), result.traceback.c_str());
  } else if (result.status == luasys::CallResult::Status::Ok && !runtime.run_called()) {
    runtime.run();  // As the luasys command does when the chunk never called sys.run.
  }
  runtime.run_shutdown_hooks();
}

void luasys_task(void* /*argument*/) {
  run_script();
  ESP_LOGI(kTag, "script finished");
  vTaskDelete(nullptr);
}

}  // namespace

extern "C" void app_main(void) {
  // Lua and the coroutine scheduler need more than the default main-task stack.
  constexpr std::uint32_t kStackBytes = 16 * 1024;
  xTaskCreate(luasys_task, "luasys", kStackBytes, nullptr, tskIDLE_PRIORITY + 5, nullptr);
}
