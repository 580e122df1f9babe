#pragma once
// How deeply a JSON text nests, counted before parsing: a JSON library parses nested
// arrays and objects recursively, so a hostile payload ("[[[[...") is refused by its
// depth before the library sees it. Used by the control API's request bodies and the
// MQTT mapping's payloads.

#include <string_view>

namespace common {

/// True when `text` nests arrays and objects more than `limit` deep, counting brackets
/// outside strings. Malformed text is the parser's business: this only counts.
bool json_nests_deeper_than(std::string_view text, int limit);

}  // namespace common
