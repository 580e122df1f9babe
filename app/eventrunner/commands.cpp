// The command table and the input helper shared by the subcommands.

#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

#include "cli.h"
#include "lang/compiler.h"
#include "remote_commands.h"

namespace er::cli {

namespace {

// The options of the subcommands that ask a running engine, or read its state file
// when none answers (state, trace, why): one text, so that the three stay alike.
const std::string kEngineOrStateFileOptions =
    "  --home HOME          the home whose running engine to ask, else whose state file to read\n"
    "                       (default: the current folder)\n"
    "  --state FILE         the engine's state file, beside which its URL and token are; read\n"
    "                       itself (read-only) when no engine answers\n"
    "  --connect URL        the engine's URL (default: the URL file beside the state file)\n"
    "  --token-file FILE    the API token (default: $EVENTRUNNER_TOKEN, else the token file)\n"
    "  --json               print the engine's JSON answer instead of text\n";

const std::string kTraceOptions =
    "  --outcome X          only ran, false, suppressed, error or cancelled records\n"
    "  --last N             only the newest N records\n" +
    kEngineOrStateFileOptions;

// Keep in help order; a new subcommand adds one entry here and one file. The options
// text is what `eventrunner NAME --help` prints; keep it in sync with the parser.
const std::array<Command, 12> kCommands = {{
    {"check", "[--trigger-var NAME]... FILE|HOME...",
     "compile rules files, or load a home without running it, and report diagnostics (exit 1 on any error)",
     command_check,
     "  --trigger-var NAME   a trigger variable the rules may use (repeatable)\n"
     "  HOME                 a home folder: its devices, trigger variables and every rules\n"
     "                       file are checked as `run` would load them; nothing runs\n"},
    {"compile", "[--trigger-var NAME]... FILE",
     "print the generated Lua of each item with its trigger descriptors", command_compile,
     "  --trigger-var NAME   a trigger variable the rules may use (repeatable)\n"},
    {"console", "[HOME] [--connect URL] [--token-file FILE] [--state FILE]",
     "a read-eval-print loop attached to a running engine (docs/console.md)", command_console,
     "  HOME                 the home whose engine to attach to (default: the current folder)\n"
     "  --connect URL        the engine's URL (default: the URL file beside the state file)\n"
     "  --token-file FILE    the API token (default: $EVENTRUNNER_TOKEN, else the token file\n"
     "                       beside the state file)\n"
     "  --state FILE         the engine's state file, beside which its URL and token are\n"
     "                       (default: the state file of a real-time run of HOME)\n"},
    {"ctl", "[HOME] [--connect URL] [--token-file FILE] [--state FILE] [--json] VERB [ARGS...]",
     "one operation on a running engine, for scripts (`eventrunner ctl help` lists the verbs)", command_ctl,
     "  HOME                 the first operand, when it is a home folder (default: the\n"
     "                       current folder)\n"
     "  --connect URL        the engine's URL (default: the URL file beside the state file)\n"
     "  --token-file FILE    the API token (default: $EVENTRUNNER_TOKEN, else the token file\n"
     "                       beside the state file)\n"
     "  --state FILE         the engine's state file, beside which its URL and token are\n"
     "  --json               print the engine's JSON answer instead of text\n"
     "  --dry-run            reload: only validate\n"
     "  --since N            timeline: only lines after sequence number N\n"},
    {"mqtt", "scan BROKER [--seconds N] [--username NAME] [--password-file FILE]",
     "list the devices a broker knows (Zigbee2MQTT, Tasmota, Home Assistant discovery) as a home.lua block",
     command_mqtt,
     "  BROKER               mqtt://host:port or mqtts://host:port\n"
     "  --seconds N          how long to listen (default 3)\n"
     "  --username NAME      the user name at the broker\n"
     "  --password-file FILE a file whose first line is the password (or set\n"
     "                       EVENTRUNNER_MQTT_PASSWORD)\n"},
    {"run",
     "HOME [--virtual] [--start \"YYYY-MM-DD HH:MM\"] [--for DURATION] [--state FILE|none] [--heap-limit SIZE] "
     "[--slice-limit MS] [--verbose] [--http ADDR:PORT|off] [--token-file FILE] [--tls-cert FILE --tls-key FILE] "
     "[--web-dir DIR] [--no-watch] [--log-level LEVEL] [--log-file FILE [--log-size SIZE] [--log-keep N]]",
     "run a home's rules and print a timeline (docs/homes.md, docs/operations.md)", command_run,
     "  --virtual            simulated time: jump from one due timer to the next\n"
     "  --start T            with --virtual: the local start time \"YYYY-MM-DD HH:MM[:SS]\"\n"
     "  --for DURATION       stop after 250ms, 10s, 5m, 2h, 1d (default: until SIGINT/SIGTERM)\n"
     "  --state FILE|none    where state persists (default in real time:\n"
     "                       $XDG_STATE_HOME/eventrunner/<home folder name>.db; with\n"
     "                       --virtual: in memory); a state file has one user at a time\n"
     "  --heap-limit SIZE    Lua heap limit: 64m, 1g, 0 for none (default 256m; home.lua\n"
     "                       heap_limit sets it for a home; this option wins)\n"
     "  --slice-limit MS     real milliseconds a run may compute without waiting (default\n"
     "                       1000, 0 for none)\n"
     "  --verbose            log every rule run\n"
     "  --http ADDR:PORT|off where the control API listens (docs/api.md; default in real\n"
     "                       time: 127.0.0.1:8321; with --virtual: off). Port 0: any free port\n"
     "  --token-file FILE    the API token file (default: <state file>.token)\n"
     "  --tls-cert FILE      serve the API over HTTPS with this PEM certificate\n"
     "  --tls-key FILE       and this PEM key\n"
     "  --web-dir DIR        the web console's files (docs/web.md; default: the built ones\n"
     "                       beside the executable, or $EVENTRUNNER_WEB_DIR)\n"
     "  --no-watch           do not reload when the home's files change (SIGHUP still does)\n"
     "  --log-level LEVEL    error, warn, info (default), debug or trace (--verbose: debug)\n"
     "  --log-file FILE      write the timeline and log to FILE (0600) instead of the\n"
     "                       standard streams, rotated by size\n"
     "  --log-size SIZE      rotate FILE when it would pass SIZE (default 10m)\n"
     "  --log-keep N         rotated files kept, FILE.1 .. FILE.N (default 3)\n"},
    {"eval", "[--at \"YYYY-MM-DD HH:MM:SS\"] [--home HOME] [--state FILE] [--for DURATION] [--heap-limit SIZE] [--slice-limit MS] SOURCE",
     "evaluate one EventScript chunk and print its values", command_eval,
     "  --at T               the local time \"YYYY-MM-DD HH:MM[:SS]\" (default 2025-05-14 12:00:00)\n"
     "  --home HOME          load this home first (default: the reference home)\n"
     "  --state FILE         read and write this state file (default: in memory); refused\n"
     "                       while another eventrunner uses it\n"
     "  --for DURATION       how long a suspending chunk may run (default 1d)\n"
     "  --heap-limit SIZE    Lua heap limit: 64m, 1g, 0 for none (default 256m)\n"
     "  --slice-limit MS     real milliseconds a run may compute without waiting (default 1000)\n"
     "  SOURCE               the chunk, or '-' for standard input\n"},
    {"top", "[HOME] [--connect URL] [--token-file FILE] [--state FILE] [--once] [--interval SECONDS] [--limit N]",
     "the busiest rules of a running engine, live (docs/metrics.md)", command_top,
     "  HOME                 the home whose engine to watch (default: the current folder)\n"
     "  --connect URL        the engine's URL (default: the URL file beside the state file)\n"
     "  --token-file FILE    the API token (default: $EVENTRUNNER_TOKEN, else the token file\n"
     "                       beside the state file)\n"
     "  --state FILE         the engine's state file, beside which its URL and token are\n"
     "  --once               print one snapshot and exit\n"
     "  --interval SECONDS   time between snapshots (default 2)\n"
     "  --limit N            rules shown, the busiest first (default 20; 0: all)\n"},
    {"state", "[--home HOME | --state FILE] [--json]",
     "every device, global and rule of a running engine or a state file (docs/traces.md)", command_state,
     kEngineOrStateFileOptions},
    {"trace", "RULE [--outcome X] [--last N] [--home HOME | --state FILE] [--json]",
     "a rule's trace records (docs/traces.md)", command_trace,
     kTraceOptions},
    {"why", "RULE [--home HOME | --state FILE] [--json]",
     "why a rule ran or did not, in sentences, from its traces (docs/traces.md)", command_why,
     kEngineOrStateFileOptions},
    {"test", "[--verbose] [--heap-limit SIZE] [--slice-limit MS] FILE...",
     "run rule test files on a virtual clock (docs/testing-rules.md)", command_test,
     "  --verbose            forward the engine's log lines and tracebacks to standard error\n"
     "  --heap-limit SIZE    Lua heap limit of each file's engine: 64m, 1g, 0 for none (default 256m)\n"
     "  --slice-limit MS     real milliseconds a test's code may compute without waiting\n"
     "                       (default 10000; runaway rules are stopped by their instruction budget)\n"},
}};

}  // namespace

std::span<const Command> commands() { return kCommands; }

namespace {

// Reads a stream in blocks, to its end or to one byte past `limit` (enough to know
// the input is too large without holding all of it).
std::string read_all(std::istream& in, std::size_t limit) {
  std::string text;
  char block[16384];
  while (text.size() <= limit && (in.read(block, sizeof block) || in.gcount() > 0)) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

void report_too_large(std::string_view name, std::size_t size, Streams& streams) {
  streams.err << "eventrunner: " << name << ": "
              << lang::source_too_large_message(size, lang::kMaxSourceBytes) << '\n';
}

// For input whose size is known only to be past the limit (a pipe, a growing file).
void report_over_limit(std::string_view name, Streams& streams) {
  streams.err << "eventrunner: " << name << ": input is over the limit of "
              << lang::kMaxSourceBytes / (1024 * 1024) << " MiB (split the rules into several files)\n";
}

}  // namespace

// Sources over lang::kMaxSourceBytes are refused before they are read in full: a file
// by its size, standard input after one block past the limit.
std::optional<SourceText> read_source(std::string_view path, Streams& streams) {
  if (path == "-") {
    std::string text = read_all(streams.in, lang::kMaxSourceBytes);
    if (text.size() > lang::kMaxSourceBytes) {
      report_over_limit("<stdin>", streams);
      return std::nullopt;
    }
    return SourceText{"<stdin>", std::move(text)};
  }
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(std::filesystem::path(path), error);
  if (!error && size > lang::kMaxSourceBytes) {
    report_too_large(path, static_cast<std::size_t>(size), streams);
    return std::nullopt;
  }
  std::ifstream file{std::string(path), std::ios::binary};
  if (!file) {
    streams.err << "eventrunner: cannot open '" << path << "'\n";
    return std::nullopt;
  }
  std::string text = read_all(file, lang::kMaxSourceBytes);
  if (text.size() > lang::kMaxSourceBytes) {  // A file that grew, or a pipe: no size.
    report_over_limit(path, streams);
    return std::nullopt;
  }
  return SourceText{std::string(path), std::move(text)};
}

}  // namespace er::cli
