// compiler_bench [rules] [repeats]: compiles the generated corpus (default 10,000
// rules) `repeats` times (default 20) and prints the best run:
//   compiler: MB/s=<source MB per second> rules/s=<rules per second> 10k_rules_ms=<ms>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lang/compiler.h"
#include "rule_corpus.h"

namespace {

struct Options {
  std::size_t rules = 10000;
  int repeats = 20;
};

Options parse_options(int argc, char** argv) {
  Options options;
  if (argc > 1) options.rules = static_cast<std::size_t>(std::strtoul(argv[1], nullptr, 10));
  if (argc > 2) options.repeats = std::max(1, std::atoi(argv[2]));
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const std::string corpus = er::bench::make_rule_corpus(options.rules);
  er::lang::CompileOptions compile_options;
  compile_options.file = "corpus.er";
  compile_options.kind = er::lang::SourceKind::rules_file;
  double best_seconds = 1e30;
  std::size_t items = 0;
  for (int i = 0; i < options.repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const er::lang::CompileResult result = er::lang::compile(corpus, compile_options);
    const auto stop = std::chrono::steady_clock::now();
    if (!result.ok()) {
      std::fprintf(stderr, "%s", er::lang::format_diagnostics(result, corpus, "corpus.er").c_str());
      return 1;
    }
    items = result.items.size();
    best_seconds = std::min(best_seconds, std::chrono::duration<double>(stop - start).count());
  }
  const double megabytes = static_cast<double>(corpus.size()) / 1e6;
  const double rules_per_second = static_cast<double>(items) / best_seconds;
  std::printf("compiler: MB/s=%.1f rules/s=%.0f 10k_rules_ms=%.2f (corpus %.2f MB, %zu items)\n",
              megabytes / best_seconds, rules_per_second, 10000.0 / rules_per_second * 1000.0,
              megabytes, items);
  return 0;
}
