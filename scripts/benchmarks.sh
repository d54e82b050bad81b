#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite in Release; arguments go to BenchmarkDotNet, e.g. --filter '*Codec*'.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-redis-server.sh
dotnet run -c Release --project benchmarks/Pottery.Benchmarks -- "$@"
