#pragma once
// The subcommands that talk to a running engine through its control API (docs/api.md,
// docs/console.md). Declared here rather than in cli.h so that they are one unit with
// their helpers (api_client, engine_locator, api_verbs, console_*); commands.cpp
// registers them.

#include <span>
#include <string_view>

#include "cli.h"

namespace er::cli {

/// eventrunner console [HOME] [--connect URL] [--token-file FILE] [--state FILE]
int command_console(std::span<const std::string_view> args, Streams& streams);

/// eventrunner ctl [HOME] [--connect URL] [--token-file FILE] [--state FILE] [--json] VERB [ARGS...]
int command_ctl(std::span<const std::string_view> args, Streams& streams);

/// eventrunner top [HOME] [--connect URL] [--token-file FILE] [--state FILE] [--once]
///                 [--interval SECONDS] [--limit N]
int command_top(std::span<const std::string_view> args, Streams& streams);
/// eventrunner why RULE / trace RULE [--outcome X] [--last N] / state, each with
/// [--home HOME | --state FILE] [--connect URL] [--token-file FILE] [--json] (docs/traces.md)
int command_why(std::span<const std::string_view> args, Streams& streams);
int command_trace(std::span<const std::string_view> args, Streams& streams);
int command_state(std::span<const std::string_view> args, Streams& streams);

}  // namespace er::cli
