#!/usr/bin/env bash
# Makes sure Garnet (Microsoft's Redis-compatible server) is available for the tests that run the
# suites on it: installs the garnet-server dotnet tool, pinned, as a global tool when missing.
set -euo pipefail

version=2.2.12
if [ -n "${GARNET_SERVER_PATH:-}" ] && [ -x "$GARNET_SERVER_PATH" ]; then exit 0; fi
if dotnet tool list -g 2>/dev/null | grep -Eq "^garnet-server[[:space:]]+$version[[:space:]]"; then exit 0; fi

echo "garnet-server $version is missing: installing it as a global dotnet tool..." >&2
if dotnet tool list -g 2>/dev/null | grep -q '^garnet-server[[:space:]]'; then
  dotnet tool update -g garnet-server --version "$version" >/dev/null
else
  dotnet tool install -g garnet-server --version "$version" >/dev/null
fi
