#pragma once
// A device on plain topics of the user's choice:
//
//   state = {topic = "...", json = "a.b"?, map = {OPEN = true}?, number = true?,
//            property = "value"?}               (or a list of such tables)
//   command = {topic = "...", turnOn = "ON", setValue = "{{value}}", retain = false, qos = 1}
//   availability = {topic = "...", online = "online", offline = "offline"}

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping.h"

namespace er::mqtt {

class PlainDevice final : public DeviceMapping {
 public:
  /// The mapping of `spec`, or nullptr with the reasons added to `*problems`.
  static std::unique_ptr<PlainDevice> create(const DeviceSpec& spec,
                                             std::vector<std::string>* problems);

  [[nodiscard]] std::vector<std::string> topics() const override;
  void on_message(std::string_view topic, std::string_view payload, MessageResult& out) override;
  [[nodiscard]] bool has_availability() const override { return availability_.has_value(); }

  /// One property read from a state topic.
  struct StateBinding {
    std::string topic;  ///< A topic filter (wildcards allowed).
    std::optional<JsonPath> json;
    std::vector<std::pair<std::string, DeviceValue>> map;  ///< Payload text -> value.
    bool number = false;
    std::string property = "value";
  };
  struct CommandTable {
    std::string topic;
    std::map<std::string, std::string, std::less<>> payloads;  ///< Action -> payload or template.
    int qos = 1;
    bool retain = false;
  };
  struct Availability {
    std::string topic;
    std::string online = "online";
    std::string offline = "offline";
  };

 private:
  // Private in a final class: DeviceMapping::perform() is the way in.
  Commands command(std::string_view action, const std::vector<DeviceValue>& args,
                   std::string* error) override;
  explicit PlainDevice(DeviceSpec spec);

  void read_state(const StateBinding& binding, std::string_view topic, std::string_view payload,
                  MessageResult& out);
  std::optional<DeviceValue> mapped(const StateBinding& binding, std::string_view text,
                                    MessageResult& out) const;
  void read_availability(std::string_view payload, MessageResult& out);

  std::vector<StateBinding> states_;
  std::optional<CommandTable> command_;
  std::optional<Availability> availability_;
};

}  // namespace er::mqtt
