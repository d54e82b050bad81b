#!/usr/bin/env bash
# Runs every test against real redis-server processes that the tests start themselves.
# Results also go to TestResults/*.trx, which .ci/run counts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-redis-server.sh
# The suites also run on Garnet, which the tests start from the garnet-server dotnet tool.
bash scripts/ensure-garnet-server.sh || echo "garnet-server could not be installed: the tests on Garnet will fail and say how to install it." >&2
# The Redlock interop test runs a Python client (Debian's python3-redis) against the same servers.
if ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing python3-redis for the Python interop test..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-redis >/dev/null || apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-redis >/dev/null
fi
rm -rf TestResults
dotnet test Pottery.Generated.sln --logger trx --results-directory TestResults "$@"
