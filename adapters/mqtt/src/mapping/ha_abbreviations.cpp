// The abbreviated keys of Home Assistant MQTT discovery configs that the mapping reads
// (and a few common ones it passes over), with their full names. Discovery configs may
// use either form; ha_config.cpp expands every key before anything reads it.

#include <array>
#include <string_view>
#include <utility>

#include "ha_config.h"

namespace er::mqtt {

namespace {

using Abbreviation = std::pair<std::string_view, std::string_view>;

constexpr std::array<Abbreviation, 66> kAbbreviations = {{
    {"avty", "availability"},
    {"avty_mode", "availability_mode"},
    {"avty_t", "availability_topic"},
    {"avty_tpl", "availability_template"},
    {"bri_cmd_t", "brightness_command_topic"},
    {"bri_cmd_tpl", "brightness_command_template"},
    {"bri_scl", "brightness_scale"},
    {"bri_stat_t", "brightness_state_topic"},
    {"bri_val_tpl", "brightness_value_template"},
    {"cmd_t", "command_topic"},
    {"cmd_tpl", "command_template"},
    {"curr_temp_t", "current_temperature_topic"},
    {"curr_temp_tpl", "current_temperature_template"},
    {"dev", "device"},
    {"dev_cla", "device_class"},
    {"en", "enabled_by_default"},
    {"ent_cat", "entity_category"},
    {"exp_aft", "expire_after"},
    {"frc_upd", "force_update"},
    {"ic", "icon"},
    {"json_attr_t", "json_attributes_topic"},
    {"json_attr_tpl", "json_attributes_template"},
    {"max_temp", "max_temp"},
    {"min_temp", "min_temp"},
    {"mode_cmd_t", "mode_command_topic"},
    {"mode_cmd_tpl", "mode_command_template"},
    {"mode_stat_t", "mode_state_topic"},
    {"mode_stat_tpl", "mode_state_template"},
    {"obj_id", "object_id"},
    {"on_cmd_type", "on_command_type"},
    {"opt", "optimistic"},
    {"pl_avail", "payload_available"},
    {"pl_cls", "payload_close"},
    {"pl_not_avail", "payload_not_available"},
    {"pl_off", "payload_off"},
    {"pl_on", "payload_on"},
    {"pl_open", "payload_open"},
    {"pl_prs", "payload_press"},
    {"pl_stop", "payload_stop"},
    {"pos_clsd", "position_closed"},
    {"pos_open", "position_open"},
    {"pos_t", "position_topic"},
    {"pos_tpl", "position_template"},
    {"ret", "retain"},
    {"set_pos_t", "set_position_topic"},
    {"set_pos_tpl", "set_position_template"},
    {"stat_cla", "state_class"},
    {"stat_clsd", "state_closed"},
    {"stat_off", "state_off"},
    {"stat_on", "state_on"},
    {"stat_open", "state_open"},
    {"stat_t", "state_topic"},
    {"stat_val_tpl", "state_value_template"},
    {"sup_clrm", "supported_color_modes"},
    {"t", "topic"},
    {"temp_cmd_t", "temperature_command_topic"},
    {"temp_cmd_tpl", "temperature_command_template"},
    {"temp_hi_cmd_t", "temperature_high_command_topic"},
    {"temp_hi_cmd_tpl", "temperature_high_command_template"},
    {"temp_hi_stat_t", "temperature_high_state_topic"},
    {"temp_hi_stat_tpl", "temperature_high_state_template"},
    {"temp_stat_t", "temperature_state_topic"},
    {"temp_stat_tpl", "temperature_state_template"},
    {"uniq_id", "unique_id"},
    {"unit_of_meas", "unit_of_measurement"},
    {"val_tpl", "value_template"},
}};

}  // namespace

std::string_view ha_full_key(std::string_view key) {
  for (const Abbreviation& abbreviation : kAbbreviations) {
    if (abbreviation.first == key) return abbreviation.second;
  }
  return key;
}

}  // namespace er::mqtt
