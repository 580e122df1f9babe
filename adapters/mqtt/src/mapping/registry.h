#pragma once
// The devices a Router maps, given or discovered, and the index from topics to the
// mappings that read them.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mapping.h"

namespace er::mqtt {

class DeviceRegistry {
 public:
  /// Adds a mapping whose id is not mapped yet.
  void add(std::unique_ptr<DeviceMapping> mapping, bool discovered);
  /// Removes the discovered device with this id or name, if there is one.
  void remove_discovered(const DeviceId& id, std::string_view name);

  [[nodiscard]] DeviceMapping* find(const DeviceId& id) const;
  [[nodiscard]] DeviceMapping* find_by_name(std::string_view name) const;
  [[nodiscard]] bool is_discovered(const DeviceId& id) const;
  /// `base`, or the first of base_2, base_3, ... that no device is named.
  [[nodiscard]] std::string free_name(const std::string& base) const;

  /// Every mapping, given ones first then discovered ones, each in the order added.
  [[nodiscard]] std::vector<DeviceMapping*> all() const;
  /// The mappings of one kind (Zigbee2mqttDevice, HomeAssistantDevice, ...).
  template <typename Mapping>
  [[nodiscard]] std::vector<Mapping*> all_of() const {
    std::vector<Mapping*> found;
    for (DeviceMapping* mapping : all()) {
      if (auto* typed = dynamic_cast<Mapping*>(mapping)) found.push_back(typed);
    }
    return found;
  }

  /// The mappings that read `topic`, each once.
  std::vector<DeviceMapping*> readers(std::string_view topic);
  /// Every topic filter the mappings read now.
  [[nodiscard]] std::set<std::string> topics() const;
  /// Call when a mapping's topics changed (a Home Assistant config arrived or left).
  void topics_changed() { index_stale_ = true; }

 private:
  struct Entry {
    std::unique_ptr<DeviceMapping> mapping;
    bool discovered;
  };

  void rebuild_index();

  std::vector<Entry> entries_;
  std::map<DeviceId, DeviceMapping*> by_id_;
  std::unordered_map<std::string, std::vector<DeviceMapping*>> exact_;
  std::vector<std::pair<std::string, DeviceMapping*>> wildcards_;
  bool index_stale_ = true;
};

}  // namespace er::mqtt
