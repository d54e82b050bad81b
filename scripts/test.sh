#!/usr/bin/env bash
# Runs every test against real redis-server processes that the tests start themselves.
# Results also go to TestResults/*.trx, which .ci/run counts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-redis-server.sh
rm -rf TestResults
dotnet test Pottery.Generated.sln --logger trx --results-directory TestResults "$@"
