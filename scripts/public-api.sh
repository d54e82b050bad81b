#!/usr/bin/env bash
# Rewrites src/Pottery.Runtime/PublicAPI.Unshipped.txt from the code (the analyzer's own fixes), so a
# change to the public API shows up in review as a change to that file.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '#nullable enable\n' > src/Pottery.Runtime/PublicAPI.Unshipped.txt
dotnet format analyzers src/Pottery.Runtime/Pottery.Runtime.csproj --diagnostics RS0016 RS0017 --severity warn -v q
