// eventrunner <command> [args...]: hands the command line to er::cli::dispatch.

#include <iostream>
#include <string_view>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  er::cli::Streams streams{std::cin, std::cout, std::cerr};
  return er::cli::dispatch(args, streams);
}
