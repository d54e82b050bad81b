#!/usr/bin/env bash
# Makes sure a redis-server executable is available: the tests and the Quickstart start their own
# throwaway servers from it. Installs Debian's redis-server package when missing and we are root.
set -euo pipefail

if [ -n "${REDIS_SERVER_PATH:-}" ] && [ -x "$REDIS_SERVER_PATH" ]; then exit 0; fi
if command -v redis-server >/dev/null 2>&1; then exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is missing: installing Debian's redis-server package..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq redis-server >/dev/null
  command -v redis-server >/dev/null 2>&1 && exit 0
fi

cat >&2 <<'MSG'
redis-server is not installed, and this script cannot install it here.
Install it with 'sudo apt-get install redis-server' (Debian/Ubuntu) or 'brew install redis' (macOS),
or set REDIS_SERVER_PATH to a redis-server executable.
MSG
exit 1
