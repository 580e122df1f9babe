#pragma once
// Where the engine keeps what must survive a restart (spec §5.3, issue #4 item 4):
// `$name` globals, each device's last known properties, each rule's enabled flag and
// the runtime error that disabled a rule. Rules are keyed by their identity (the name,
// or `<file>:<hash>` for unnamed rules; docs/eventscript.md#rule-names-and-identity).
// The engine serialises Lua values to text itself (rules/lua/er/serial.lua), so a store
// only keeps strings. The SQLite store (adapters/store) is the production one; tests
// and `--state none` use MemoryStateStore.
//
// A put_* call returns only after the write is durable against the process being
// killed: the engine acknowledges a `$name` write to the rule only after it returns.
// Device properties are written in batches (one per loop pass, er/store.lua), and a
// batch is atomic: after a crash the store holds all of it or none of it.
// A store is used from the engine's thread only.
//
// This header is the CMake target rules_store_api: adapters implement it without
// linking the engine. Standard library only.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace er {

/// The runtime error that disabled a rule, with the hash of the rule's normalized
/// source then: the engine enables the rule again once its source changes.
struct StoredRuleError {
  std::string message;      ///< One line: "20-lights.er:12:5: runtime error: ..."
  std::string source_hash;  ///< lang::hash_text of the rule's source hash.
  bool operator==(const StoredRuleError&) const = default;
};

/// Everything a store holds, as loaded at start-up. All texts are opaque to the store.
struct StoredState {
  std::map<std::string, std::string> globals;  ///< `$name` (without '$') -> serialised value
  /// Serialised device id ("55", "\"garage\"") -> property -> serialised value.
  std::map<std::string, std::map<std::string, std::string>> devices;
  /// Serialised device id -> property -> when its value last changed (epoch ms), for
  /// the properties whose change time is known (stored since schema version 4).
  std::map<std::string, std::map<std::string, std::int64_t>> device_changed;
  std::map<std::string, bool> rules_enabled;  ///< rule identity -> enabled
  /// Rule identity -> the runtime error that disabled it.
  std::map<std::string, StoredRuleError> rule_errors;
  /// Rule identity -> outcome ("ran", "false", ...) -> the JSON list of its trace
  /// records, newest first (docs/traces.md).
  std::map<std::string, std::map<std::string, std::string>> traces;
  /// What the engine notes for readers of the file without it (`eventrunner why
  /// --state FILE`): key -> JSON text ("engine", "rule:<identity>"; docs/traces.md).
  std::map<std::string, std::string> info;
};

/// One device property in a batch write; the texts are borrowed for the call.
struct DeviceProperty {
  std::string_view device;    ///< The serialised id ("55", "\"garage\"").
  std::string_view property;  ///< "value", "power", ...
  std::string_view value;     ///< The serialised value.
  std::int64_t changed_ms = 0;  ///< When the value changed (epoch ms); 0: not known.
};

/// One entry of the engine's notes (StoredState::info); an empty value erases the key.
struct InfoEntry {
  std::string_view key;
  std::string_view value;
};

/// The trace records of one rule and outcome, replacing what was stored for them.
struct TraceList {
  std::string_view rule;     ///< The rule's identity.
  std::string_view outcome;  ///< "ran", "false", "suppressed", "error" or "cancelled".
  std::string_view records;  ///< The JSON list of records, newest first.
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  /// Fills `state` with everything stored (nothing for a new store). False on failure
  /// (last_error() says why); `state` may then hold part of the data.
  virtual bool load(StoredState& state) = 0;
  /// Stores `$name` (value: serialised text). Durable when it returns; false on failure.
  virtual bool put_global(std::string_view name, std::string_view value) = 0;
  /// Deletes `$name` (assigned nil); deleting an absent name succeeds.
  virtual bool erase_global(std::string_view name) = 0;
  /// Stores a batch of device properties as one transaction: durable and complete when
  /// it returns true; on false (or a crash during the call) none of them is stored. A
  /// property that appears twice keeps its last value; an empty batch does nothing.
  virtual bool put_device_properties(std::span<const DeviceProperty> batch) = 0;
  /// Stores a rule's enabled flag, keyed by the rule's identity.
  virtual bool put_rule_enabled(std::string_view rule, bool enabled) = 0;
  /// Stores the runtime error that disabled rule `rule` (replacing an earlier one).
  virtual bool put_rule_error(std::string_view rule, std::string_view message,
                              std::string_view source_hash) = 0;
  /// Forgets the runtime error of `rule`; forgetting an absent one succeeds.
  virtual bool erase_rule_error(std::string_view rule) = 0;
  /// Forgets everything stored for `rule` (its flag and its error).
  virtual bool erase_rule(std::string_view rule) = 0;
  /// Stores trace lists as one transaction (written off the hot path, in batches). A
  /// store that keeps no traces may succeed without storing them.
  virtual bool put_traces(std::span<const TraceList> batch) = 0;
  /// Stores (or, for an empty value, erases) entries of the engine's notes as one
  /// transaction. A store that keeps no notes may succeed without storing them.
  virtual bool put_info(std::span<const InfoEntry> batch) = 0;
  /// The last failure's text, for the log (a complete sentence-like message).
  [[nodiscard]] virtual std::string last_error() const = 0;
};

/// A store in memory: for tests and for `--state none`.
class MemoryStateStore final : public StateStore {
 public:
  MemoryStateStore() = default;
  /// A store that starts with `state`: the copy of a state file read without writing
  /// to it (`eventrunner why --state FILE` when no engine answers).
  explicit MemoryStateStore(StoredState state) : state_(std::move(state)) {}
  bool load(StoredState& state) override {
    state = state_;
    return true;
  }
  bool put_global(std::string_view name, std::string_view value) override {
    state_.globals[std::string(name)] = std::string(value);
    return true;
  }
  bool erase_global(std::string_view name) override {
    state_.globals.erase(std::string(name));
    return true;
  }
  bool put_device_properties(std::span<const DeviceProperty> batch) override {
    for (const DeviceProperty& entry : batch) {
      state_.devices[std::string(entry.device)][std::string(entry.property)] =
          std::string(entry.value);
      if (entry.changed_ms != 0) {
        state_.device_changed[std::string(entry.device)][std::string(entry.property)] = entry.changed_ms;
      }
    }
    return true;
  }
  bool put_rule_enabled(std::string_view rule, bool enabled) override {
    state_.rules_enabled[std::string(rule)] = enabled;
    return true;
  }
  bool put_rule_error(std::string_view rule, std::string_view message,
                      std::string_view source_hash) override {
    state_.rule_errors[std::string(rule)] = {std::string(message), std::string(source_hash)};
    return true;
  }
  bool erase_rule_error(std::string_view rule) override {
    state_.rule_errors.erase(std::string(rule));
    return true;
  }
  bool erase_rule(std::string_view rule) override {
    state_.rules_enabled.erase(std::string(rule));
    return erase_rule_error(rule);
  }
  bool put_traces(std::span<const TraceList> batch) override {
    for (const TraceList& entry : batch) {
      state_.traces[std::string(entry.rule)][std::string(entry.outcome)] = std::string(entry.records);
    }
    return true;
  }
  bool put_info(std::span<const InfoEntry> batch) override {
    for (const InfoEntry& entry : batch) {
      if (entry.value.empty()) {
        state_.info.erase(std::string(entry.key));
      } else {
        state_.info[std::string(entry.key)] = std::string(entry.value);
      }
    }
    return true;
  }
  [[nodiscard]] std::string last_error() const override { return {}; }

 private:
  StoredState state_;
};

}  // namespace er
