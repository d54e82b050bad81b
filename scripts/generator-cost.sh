#!/usr/bin/env bash
# Measures what Pottery's source generator costs a consumer build, side by side with the SDK's
# System.Text.Json generator on the same types (issue 19). For each N given (default 100 500 2000) it
# writes three projects with N classes of 10 properties (scripts/generator-cost/make_projects.py):
# plain (no generator), pottery ([RedisDict], one class in ten with a [Synchronize] method) and stj
# ([JsonSerializable] each), then prints: warm build time (median of REPEAT, after touching one file
# so the compiler runs again), each generator's own time (-p:ReportAnalyzer=true, median of REPEAT),
# and the generated lines (total and per property).
#   bash scripts/generator-cost.sh 100        # one size
#   REPEAT=5 bash scripts/generator-cost.sh   # all three sizes, median of five
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
repeat=${REPEAT:-3}
work=${WORK:-/tmp/pottery-generator-cost}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 500 2000)

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The runtime and generator once; consumer builds then skip their project references.
dotnet build src/Pottery.Runtime/Pottery.Runtime.csproj -f net10.0 -c Release -v q -nologo >/dev/null
dotnet build src/Pottery.Generators/Pottery.Generators.csproj -c Release -v q -nologo >/dev/null

build() { # project, extra args...
  local proj=$1; shift
  dotnet build "$proj" -c Release --no-restore -nologo -p:BuildProjectReferences=false "$@"
}

# Seconds of one generator's own time in a -v:d build log with ReportAnalyzer on.
generator_seconds() { # log, generator assembly name
  awk -v name="$2" '
    /Total generator execution time/ { in_gen = 1; next }
    /Total analyzer execution time/ { in_gen = 0 }
    in_gen && index($0, name ",") && !done { print $1; done = 1 }' "$1"
}

printf '| N classes | build without generator | with Pottery'"'"'s generator | with STJ'"'"'s generator | Pottery generator'"'"'s own time | STJ generator'"'"'s own time | generated lines (Pottery / STJ) | lines per property (Pottery / STJ) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for n in "${sizes[@]}"; do
  dir=$work/$n
  rm -rf "$dir"
  python3 scripts/generator-cost/make_projects.py "$dir" "$n" "$repo"
  declare -A seconds=() own=()
  for kind in plain pottery stj; do
    proj=$dir/$kind/Cost.$kind.csproj
    dotnet restore "$proj" -v q -nologo >/dev/null
    build "$proj" -v q >/dev/null # warm-up: build server, caches
    times=()
    for _ in $(seq "$repeat"); do
      touch "$dir/$kind/Models/Model0.cs"
      start=$(date +%s.%N)
      build "$proj" -v q >/dev/null
      times+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    seconds[$kind]=$(printf '%s\n' "${times[@]}" | median)
    if [ "$kind" != plain ]; then
      name=$([ "$kind" = pottery ] && echo Pottery.Generators || echo System.Text.Json.SourceGeneration)
      gen=()
      for _ in $(seq "$repeat"); do
        touch "$dir/$kind/Models/Model0.cs"
        build "$proj" -v:d -p:ReportAnalyzer=true >"$dir/$kind.log"
        gen+=("$(generator_seconds "$dir/$kind.log" "$name")")
      done
      own[$kind]=$(printf '%s\n' "${gen[@]}" | median)
    fi
  done
  lines_pottery=$(find "$dir/pottery/generated" -path '*Pottery.Generators*' -name '*.cs' -exec cat {} + | wc -l)
  lines_stj=$(find "$dir/stj/generated" -path '*System.Text.Json.SourceGeneration*' -name '*.cs' -exec cat {} + | wc -l)
  properties=$((n * 10))
  printf '| %s | %.1f s | %.1f s | %.1f s | %s s | %s s | %s / %s | %.1f / %.1f |\n' "$n" \
    "${seconds[plain]}" "${seconds[pottery]}" "${seconds[stj]}" "${own[pottery]}" "${own[stj]}" \
    "$lines_pottery" "$lines_stj" "$(echo "$lines_pottery / $properties" | bc -l)" "$(echo "$lines_stj / $properties" | bc -l)"
  unset seconds own
done
