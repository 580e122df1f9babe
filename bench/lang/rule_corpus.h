#pragma once
// A deterministic corpus of realistic EventScript rules for the compiler benchmark
// and the fuzz seed: a mix of device, time, event and trueFor rules with one-line and
// multi-line actions, as one rules file.

#include <cstddef>
#include <string>

namespace er::bench {

/// Returns a rules file with `rule_count` rules (the same text for the same count).
std::string make_rule_corpus(std::size_t rule_count);

}  // namespace er::bench
