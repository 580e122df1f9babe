// The engine on a SQLite state file across a restart: `$name` globals, device state
// and rule flags written by one engine are what the next engine on the file starts with.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "../engine/engine_fixture.h"
#include "adapters/sqlite_state_store.h"

namespace er::testing {
namespace {

namespace fs = std::filesystem;

class RestartTest : public EngineTest {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "er-restart-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    engine_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // Stops the engine and closes the file (if open), then boots on the file again.
  void restart() {
    engine_.reset();
    store_.reset();
    SqliteOpenResult opened = SqliteStateStore::open((dir_ / "state.db").string());
    ASSERT_EQ(opened.error, "");
    store_ = std::move(opened.store);
    boot(store_.get());
  }

  fs::path dir_;
  std::unique_ptr<SqliteStateStore> store_;
};

constexpr const char* kDefineHome = R"lua(
  er.defineDevice{id = 55, name = "lamp", type = "binarySwitch", props = {value = false}}
  er.defineDevice{id = "garage", name = "garage", type = "doorSensor", props = {value = false}}
  assert(er.eval("55:isOn => log('on')", {name = "lamp_on"}))
  assert(er.eval("'garage':isOpen => log('open')", {name = "garage_open"}))
)lua";

// The suite is named <part>_<module> (docs/testing.md).
using store_restart = RestartTest;

TEST_F(store_restart, GlobalsDevicesAndRuleFlagsSurviveARestart) {
  restart();
  EXPECT_EQ(run(kDefineHome), "nil");
  EXPECT_EQ(run("er.globals.Mode = 'away'\n"
                "er.globals.Config = {levels = {1, 2.5}, on = true}\n"
                "er.device(55):update('value', true)\n"
                "er.device('garage'):update('value', true)\n"
                "er.getRule('garage_open'):disable()"),
            "nil");
  restart();
  EXPECT_EQ(run("return er.globals.Mode"), "away");
  EXPECT_EQ(run("return E.serial.encode(er.globals.Config)"), "{levels={1,2.5},on=true}");
  EXPECT_EQ(run(kDefineHome), "nil");
  EXPECT_EQ(run("return tostring(er.device(55):get('value'))"), "true");
  EXPECT_EQ(run("return tostring(er.device('garage'):get('value'))"), "true");
  EXPECT_EQ(run("return tostring(er.getRule('lamp_on').enabled) .. ' ' .. "
                "tostring(er.getRule('garage_open').enabled)"),
            "true false");
}

TEST_F(store_restart, DeletedGlobalStaysDeleted) {
  restart();
  run("er.globals.Gone = 1 er.globals.Gone = nil");
  restart();
  EXPECT_EQ(run("return tostring(er.globals.Gone)"), "nil");
}

}  // namespace
}  // namespace er::testing
