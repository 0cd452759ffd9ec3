#!/usr/bin/env bash
# Start to ready of a service with its AOT cache, packaged as Quarkus fast-jar against aot-jar, in alternating pairs
# (issues 19/16; bench/README.md "Services packaged as aot-jar").
#
#   bench/restart-bench/packaging-pairs.sh ROUNDS part...        (parts: tools router agent swarm gateway)
#
# Needs a stack started by ./codetether up from the same folder and environment (ports: CODETETHER_*_PORT), and for
# each part named a second build beside the first: <module>/target/quarkus-app.other with its own start-up cache
# folder <module>/target/startup.other (the launcher keeps a cache per build and deletes a part's other caches when
# it records, so each packaging keeps its own folder). The two are told apart by the runner's Main-Class (aot-jar:
# AotQuarkusEntryPoint). Each start is timed as restart-times.sh times it (lib.sh); a packaging without its cache yet
# is recorded first (one start and its stop, not counted). Prints one line per start with the load average.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:?rounds}"
shift
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || { echo "which parts? tools router agent swarm gateway" >&2; exit 2; }
declare -A MODULE=([tools]=tools-service [router]=router-service [agent]=agent-service [swarm]=swarm-service
  [gateway]=gateway-service)

packaging_of() { # dir: aot-jar or fast-jar, from the runner's manifest
  if unzip -p "$1/quarkus-run.jar" META-INF/MANIFEST.MF | grep -q AotQuarkusEntryPoint; then echo aot-jar; else echo fast-jar; fi
}

# the part is stopped: its two builds (and their cache folders) change places
swap() { # module
  local t="$ROOT/$1/target" d
  [ -d "$t/quarkus-app.other" ] && [ -d "$t/startup.other" ] \
    || { echo "$1: no second build in $t/quarkus-app.other and $t/startup.other" >&2; exit 2; }
  for d in quarkus-app startup; do
    mv "$t/$d" "$t/$d.swap" && mv "$t/$d.other" "$t/$d" && mv "$t/$d.swap" "$t/$d.other"
  done
}

use() { # part packaging: stops the part and makes that packaging the one `up` starts
  local module="${MODULE[$1]}"
  OLD=$(pid_of "$1")
  stop "$1"
  [ "$(packaging_of "$ROOT/$module/target/quarkus-app")" = "$2" ] || swap "$module"
  [ "$(packaging_of "$ROOT/$module/target/quarkus-app")" = "$2" ] || { echo "$1: no $2 build" >&2; exit 2; }
}

finish_recordings "${PARTS[@]}"
for part in "${PARTS[@]}"; do
  for packaging in fast-jar aot-jar; do
    use "$part" "$packaging"
    # started by `up` (recording its cache when this build has none), then the launcher's restart (its stop
    # writes a recording start's cache)
    "$ROOT/codetether" up >/dev/null
    finish_recordings "$part"
  done
done

for r in $(seq 1 "$ROUNDS"); do
  for part in "${PARTS[@]}"; do
    if [ $((r % 2)) -eq 1 ]; then order=(fast-jar aot-jar); else order=(aot-jar fast-jar); fi
    for packaging in "${order[@]}"; do
      use "$part" "$packaging"
      start_timed "$part" aot "$packaging"
    done
  done
done
