#!/usr/bin/env bash
# The main job: builds if needed, then runs the LuaSys example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/bin/luasys examples/basic.lua
