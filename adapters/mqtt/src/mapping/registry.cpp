// The device registry and its topic index (registry.h).

#include "registry.h"

#include <algorithm>

namespace er::mqtt {

void DeviceRegistry::add(std::unique_ptr<DeviceMapping> mapping, bool discovered) {
  by_id_[mapping->spec().id] = mapping.get();
  entries_.push_back(Entry{std::move(mapping), discovered});
  index_stale_ = true;
}

void DeviceRegistry::remove_discovered(const DeviceId& id, std::string_view name) {
  const auto removed = std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.discovered &&
           (entry.mapping->spec().id == id || entry.mapping->spec().name == name);
  });
  if (removed == entries_.end()) return;
  entries_.erase(removed, entries_.end());
  by_id_.clear();
  for (const Entry& entry : entries_) by_id_[entry.mapping->spec().id] = entry.mapping.get();
  index_stale_ = true;
}

DeviceMapping* DeviceRegistry::find(const DeviceId& id) const {
  const auto found = by_id_.find(id);
  return found == by_id_.end() ? nullptr : found->second;
}

DeviceMapping* DeviceRegistry::find_by_name(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.mapping->spec().name == name) return entry.mapping.get();
  }
  return nullptr;
}

bool DeviceRegistry::is_discovered(const DeviceId& id) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.discovered && entry.mapping->spec().id == id;
  });
}

std::string DeviceRegistry::free_name(const std::string& base) const {
  std::string name = base;
  for (int suffix = 2; find_by_name(name) != nullptr; ++suffix)
    name = base + "_" + std::to_string(suffix);
  return name;
}

std::vector<DeviceMapping*> DeviceRegistry::all() const {
  std::vector<DeviceMapping*> mappings;
  for (const bool discovered : {false, true}) {
    for (const Entry& entry : entries_) {
      if (entry.discovered == discovered) mappings.push_back(entry.mapping.get());
    }
  }
  return mappings;
}

std::vector<DeviceMapping*> DeviceRegistry::readers(std::string_view topic) {
  if (index_stale_) rebuild_index();
  std::vector<DeviceMapping*> found;
  const auto exact = exact_.find(std::string(topic));
  if (exact != exact_.end()) found = exact->second;
  for (const auto& [filter, mapping] : wildcards_) {
    if (topic_matches(filter, topic)) found.push_back(mapping);
  }
  // A mapping may read one topic in several roles (state and availability): once.
  std::vector<DeviceMapping*> unique;
  for (DeviceMapping* mapping : found) {
    if (std::find(unique.begin(), unique.end(), mapping) == unique.end()) unique.push_back(mapping);
  }
  return unique;
}

std::set<std::string> DeviceRegistry::topics() const {
  std::set<std::string> topics;
  for (const Entry& entry : entries_) {
    for (std::string& topic : entry.mapping->topics()) topics.insert(std::move(topic));
  }
  return topics;
}

void DeviceRegistry::rebuild_index() {
  exact_.clear();
  wildcards_.clear();
  for (const Entry& entry : entries_) {
    for (std::string& topic : entry.mapping->topics()) {
      if (topic.find_first_of("+#") != std::string::npos) {
        wildcards_.emplace_back(std::move(topic), entry.mapping.get());
      } else {
        exact_[std::move(topic)].push_back(entry.mapping.get());
      }
    }
  }
  index_stale_ = false;
}

}  // namespace er::mqtt
