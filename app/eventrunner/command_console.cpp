// eventrunner console [HOME] [--connect URL] [--token-file FILE] [--state FILE]
//
// A read-eval-print loop attached to a running engine (docs/console.md): EventScript
// lines are evaluated in the engine (`POST /api/eval`) and printed as `eventrunner eval`
// prints them; lines starting with '.' are commands (.rules, .set, .watch, ...; the
// ctl verbs and a few of the console's own). Multi-line input is gathered locally
// (console_input.h). Exit 0 at the end of input or .quit, 1 when the engine cannot be
// reached (or, with input from a pipe, when any line failed), 2 on usage errors.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <iostream>
#include <ostream>
#include <sstream>

#include "api_client.h"
#include "api_format.h"
#include "api_verbs.h"
#include "arg_reader.h"
#include "console_commands.h"
#include "console_input.h"
#include "engine_locator.h"
#include "line_reader.h"
#include "remote_commands.h"

namespace er::cli {

namespace {

constexpr std::chrono::milliseconds kWatchInterval{200};
constexpr std::size_t kWatchBacklog = 10;  // Lines of the past that .watch shows first.

std::optional<EngineOptions> parse_console_args(std::span<const std::string_view> argv, Streams& streams) {
  EngineOptions options;
  ArgReader reader(argv, streams);
  bool saw_home = false;
  while (reader.next()) {
    if (reader.is_option()) {
      if (!apply_engine_option(reader, options)) reader.unknown();
    } else if (saw_home) {
      reader.fail("console takes one HOME");
    } else if (!is_home_folder(std::string(reader.operand()))) {
      reader.fail("'" + std::string(reader.operand()) + "' is not a home folder (no home.lua)");
    } else {
      saw_home = true;
      options.home = reader.operand();
    }
  }
  if (reader.failed()) return std::nullopt;
  return options;
}

// The last `count` lines of `text`, which ends with a line end (or is empty).
std::string last_lines(const std::string& text, std::size_t count) {
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && start != text.size() && ++seen == count) break;
  }
  return text.substr(start);
}

long long next_sequence(const nlohmann::json& answer, long long fallback) {
  const nlohmann::json& next = field(answer, "next");
  return next.is_number_integer() ? next.get<long long>() : fallback;
}

class Console {
 public:
  Console(ApiClient& client, LineReader& reader, CompletionNames& names, Streams& streams)
      : client_(client), reader_(reader), names_(names), streams_(streams) {}

  // Reads and handles lines to the end of input or .quit.
  int run() {
    refresh_names();
    while (!quit_) {
      const std::optional<std::string> line = reader_.read_line(assembler_.pending() ? ".. " : "> ");
      if (!line) break;
      handle_line(*line);
      streams_.out.flush();
    }
    if (std::optional<std::string> rest = assembler_.finish()) evaluate(*rest);
    if (reader_.interactive()) streams_.out << '\n';
    return failures_ > 0 && !reader_.interactive() ? kExitErrors : kExitOk;
  }

 private:
  void handle_line(const std::string& line) {
    if (std::optional<std::string> rule = assembler_.take_rule_before(line)) evaluate(*rule);
    if (!assembler_.pending()) {
      if (const std::optional<ConsoleCommand> command = parse_console_command(line)) return run_command(*command);
    }
    for (const std::string& chunk : assembler_.add_line(line)) evaluate(chunk);
  }

  void evaluate(const std::string& chunk) { count(evaluate_in_engine(client_, chunk, streams_)); }

  void count(int status) {
    if (status != kExitOk) ++failures_;
  }

  void run_command(const ConsoleCommand& command) {
    if (command.name == "quit" || command.name == "exit") {
      quit_ = true;
    } else if (command.name == "help") {
      print_help();
    } else if (command.name == "watch") {
      watch(command.rest);
    } else if (command.name == "post") {
      evaluate("post(" + command.rest + ")");
    } else if (const Verb* verb = find_verb(command.name)) {
      run_verb_command(*verb, command.rest);
    } else {
      streams_.err << "eventrunner: unknown command '." << command.name << "' (try .help)\n";
      ++failures_;
    }
  }

  void run_verb_command(const Verb& verb, const std::string& rest) {
    std::vector<std::string> words = split_words(rest, verb.max_args);
    VerbOptions options;
    if (verb.max_args == 0) words = take_verb_options(words, options);
    const int status = run_verb(client_, verb, words, options, false, streams_);
    count(status);
    if (status == kExitOk && (verb.name == "reload" || verb.name == "rollback")) refresh_names();
  }

  // `.reload --dry-run` and `.timeline --since N`: the options of verbs without operands.
  static std::vector<std::string> take_verb_options(const std::vector<std::string>& words, VerbOptions& options) {
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (words[i] == "--dry-run") {
        options.dry_run = true;
      } else if (words[i] == "--since" && i + 1 < words.size()) {
        options.since = words[++i];
      } else {
        rest.push_back(words[i]);
      }
    }
    return rest;
  }

  void refresh_names() {
    const ApiResponse answer = client_.get("/api/names");
    if (answer.ok()) names_ = completion_names_from(answer.body);
  }

  // Shows the last lines of the timeline, then polls for new ones until Ctrl-C, a
  // typed line or the end of piped input.
  void watch(const std::string& filter) {
    ApiResponse answer = client_.get("/api/timeline");
    if (!answer.ok()) return fail(answer.error);
    streams_.out << last_lines(format_timeline(answer.body, filter), kWatchBacklog) << std::flush;
    long long since = next_sequence(answer.body, 0);
    if (reader_.interactive()) streams_.err << "(watching the timeline: Ctrl-C or Enter stops)\n";
    const InterruptGuard guard;
    while (!guard.interrupted() && !reader_.wait_for_input(kWatchInterval) && !guard.interrupted()) {
      answer = client_.get("/api/timeline?since=" + std::to_string(since));
      if (!answer.ok()) return fail(answer.error);
      streams_.out << format_timeline(answer.body, filter) << std::flush;
      since = next_sequence(answer.body, since);
    }
    if (guard.interrupted() && reader_.interactive()) streams_.out << '\n';
  }

  void fail(const std::string& message) {
    streams_.err << "eventrunner: " << message << '\n';
    ++failures_;
  }

  void print_help() {
    std::vector<std::vector<std::string>> rows;
    for (const Verb& verb : verbs()) {
      if (verb.name != "eval" && verb.name != "post") rows.push_back({"." + std::string(verb.name) + " " + std::string(verb.usage), std::string(verb.summary)});
    }
    for (const ConsoleOnlyCommand& command : console_only_commands()) {
      rows.push_back({"." + std::string(command.name) + " " + std::string(command.usage), std::string(command.summary)});
    }
    streams_.out << "Type EventScript to evaluate it in the engine; a block or rule may span lines.\n"
                 << format_table(rows);
  }

  ApiClient& client_;
  LineReader& reader_;
  CompletionNames& names_;
  Streams& streams_;
  ChunkAssembler assembler_;
  int failures_ = 0;
  bool quit_ = false;
};

// The first request: proves that the engine answers and the token is right, and on a
// terminal names the home in a banner.
bool greet(ApiClient& client, bool interactive, Streams& streams) {
  const ApiResponse health = client.get("/api/health");
  if (!health.ok()) {
    streams.err << "eventrunner: " << health.error << '\n';
    return false;
  }
  if (interactive) {
    streams.out << "connected to " << text_field(health.body, "home") << " at " << client.base_url()
                << " (generation " << text_field(health.body, "generation") << "); .help lists the commands\n";
  }
  return true;
}

}  // namespace

int command_console(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<EngineOptions> options = parse_console_args(argv, streams);
  if (!options) return kExitUsage;
  const EngineAddress address = locate_engine(*options, std::getenv("EVENTRUNNER_TOKEN"));
  if (!address.ok()) {
    streams.err << "eventrunner: " << address.error << '\n';
    return kExitErrors;
  }
  ApiClient client(address.url, address.token);
  CompletionNames names;
  LineReaderOptions reader_options;
  reader_options.completer = [&names](std::string_view line, std::size_t start, std::size_t cursor) {
    return complete_word(names, line, start, cursor);
  };
  if (&streams.in == &std::cin && ::isatty(STDIN_FILENO) == 1) reader_options.history_file = default_history_path();
  const std::unique_ptr<LineReader> reader = make_line_reader(streams, std::move(reader_options));
  if (!greet(client, reader->interactive(), streams)) return kExitErrors;
  Console console(client, *reader, names, streams);
  return console.run();
}

}  // namespace er::cli
