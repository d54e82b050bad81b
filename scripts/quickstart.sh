#!/usr/bin/env bash
# Runs the Quickstart tour: against REDIS_URL when set, else against a throwaway local redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${REDIS_URL:-}" ]; then bash scripts/ensure-redis-server.sh; fi
dotnet run --project samples/Pottery.Samples.Quickstart -- "$@"
