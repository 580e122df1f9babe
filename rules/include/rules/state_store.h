#pragma once
// Where the engine keeps what must survive a restart (spec §5.3, issue #4 item 4):
// `$name` globals, each device's last known properties and each rule's enabled flag.
// The engine serialises Lua values to text itself (rules/lua/er/serial.lua), so a store
// only keeps strings. The SQLite store (adapters/store) is the production one; tests
// may use MemoryStateStore.
//
// A store call returns only after the write is durable against the process being
// killed: the engine acknowledges a `$name` write to the rule only after put_* returns.

#include <map>
#include <string>
#include <string_view>

namespace er {

/// Everything a store holds, as loaded at start-up.
struct StoredState {
  std::map<std::string, std::string> globals;   ///< name -> serialised value
  std::map<std::string, std::string> devices;   ///< "<id key>\t<property>" -> serialised value
  std::map<std::string, bool> rules_enabled;    ///< rule name -> enabled
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  /// Loads everything stored; an empty state for a new store.
  virtual StoredState load() = 0;
  /// Stores `$name` (value: serialised text). Durable when it returns; false on failure.
  virtual bool put_global(std::string_view name, std::string_view value) = 0;
  /// Deletes `$name` (assigned nil).
  virtual bool erase_global(std::string_view name) = 0;
  /// Stores one device property: `device` is the serialised id ("55" or "'garage'").
  virtual bool put_device_property(std::string_view device, std::string_view property,
                                   std::string_view value) = 0;
  /// Stores a rule's enabled flag, keyed by the rule's name.
  virtual bool put_rule_enabled(std::string_view rule, bool enabled) = 0;
  /// The last failure's text, for the log.
  [[nodiscard]] virtual std::string last_error() const = 0;
};

/// A store in memory: for tests and for `--state none`.
class MemoryStateStore final : public StateStore {
 public:
  StoredState load() override { return state_; }
  bool put_global(std::string_view name, std::string_view value) override {
    state_.globals[std::string(name)] = std::string(value);
    return true;
  }
  bool erase_global(std::string_view name) override {
    state_.globals.erase(std::string(name));
    return true;
  }
  bool put_device_property(std::string_view device, std::string_view property,
                           std::string_view value) override {
    std::string key(device);
    key += '\t';
    key += property;
    state_.devices[key] = std::string(value);
    return true;
  }
  bool put_rule_enabled(std::string_view rule, bool enabled) override {
    state_.rules_enabled[std::string(rule)] = enabled;
    return true;
  }
  [[nodiscard]] std::string last_error() const override { return {}; }

 private:
  StoredState state_;
};

}  // namespace er
