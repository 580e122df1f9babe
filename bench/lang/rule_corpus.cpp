#include "rule_corpus.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace er::bench {

namespace {

// A small linear congruential generator: deterministic across platforms.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint32_t below(std::uint32_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state_ >> 33U) % bound;
  }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 8> kConditions = {
    "{id}:breached & 22:00..06:00",
    "{id}:value > {n} & $Mode == \"home\"",
    "#alarm{{zone=\"$z\", level=\"$l>{n}\"}}",
    "@sunset - 00:{mm}",
    "trueFor(00:{mm}, {id}:isOpen)",
    "{{{id}, {id2}}}:isOn & !{id3}:isOn",
    "@{{07:{mm}, 19:{mm}}} & wday(\"mon-fri\")",
    "{id}:temp > {n} debounce 00:02",
};

constexpr std::array<std::string_view, 6> kActions = {
    "{id2}:on",
    "{id2}:on; wait(00:{mm}); {id2}:off",
    "log(\"zone %s level %d\", z, l)\n  post(#handled{{zone=z}}, 5)",
    "{id2}:value = {n}\n  $Count = ($Count ?? 0) + 1\n  if $Count > 10 then\n    log(\"many\")\n  end",
    "log(\"open %d min\", {mm} * again(3))",
    "local t = [v * 2 for v in {{1, 2, 3}} if v > 1]\n  {id3}:dim = {{10, \"up\"}}",
};

void append_number(std::string& out, std::uint32_t value, bool two_digits) {
  if (two_digits && value < 10) out.push_back('0');
  out += std::to_string(value);
}

// Expands {id} {id2} {id3} {n} {mm} and the escapes {{ }}.
void expand(std::string& out, std::string_view pattern, Random& random) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out.push_back('{');
      ++i;
    } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out.push_back('}');
      ++i;
    } else if (c == '{') {
      const std::size_t end = pattern.find('}', i);
      const std::string_view key = pattern.substr(i + 1, end - i - 1);
      if (key == "mm") {
        append_number(out, 1 + random.below(59), true);
      } else if (key == "n") {
        append_number(out, random.below(100), false);
      } else {
        append_number(out, 10 + random.below(490), false);
      }
      i = end;
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string make_rule_corpus(std::size_t rule_count) {
  Random random(20251122);
  std::string out;
  out.reserve(rule_count * 90);
  out += "-- Generated benchmark corpus.\n";
  for (std::size_t i = 0; i < rule_count; ++i) {
    const std::size_t kind = i % kConditions.size();
    expand(out, kConditions[kind], random);
    out += " =>\n  ";
    // Pattern rules use their captures; trueFor rules call again().
    std::string_view action = kActions[random.below(static_cast<std::uint32_t>(kActions.size()))];
    if (kind == 2) action = kActions[2];
    if (kind == 4) action = kActions[4];
    if (action == kActions[2] && kind != 2) action = kActions[0];
    if (action == kActions[4] && kind != 4) action = kActions[1];
    expand(out, action, random);
    out += '\n';
    if (i % 50 == 0) out += "\n-- group " + std::to_string(i / 50) + "\n";
  }
  return out;
}

}  // namespace er::bench
