#!/usr/bin/env bash
# The main job: builds if needed, then runs the example home (examples/home) for one
# simulated day on the virtual clock and prints its timeline (docs/homes.md). Extra
# arguments go to `eventrunner run`, e.g. scripts/run.sh --start "2025-05-17 06:00".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/bin/eventrunner run examples/home --virtual --for 1d "$@"
