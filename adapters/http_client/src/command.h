#pragma once
// Runs a command for a notification target (docs/notifications.md): no shell, output
// capped, killed after the timeout.

#include "adapters/http_client/client.h"

namespace er::http_client {

/// Runs `request.command` (program and arguments) and waits for it, at most
/// `request.timeout_ms`. status is its exit code and body its output (standard output
/// and error, up to `request.max_body_bytes`); error is set when it could not start,
/// timed out or was killed by a signal.
Response run_command(const Request& request);

}  // namespace er::http_client
