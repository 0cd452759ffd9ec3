#!/usr/bin/env bash
# Start to ready of each service of the local stack under the launcher's two JIT settings, CODETETHER_SERVICE_JIT
# tiered (C1, then C2: the default) and c1 (C1 only), each start with its AOT cache (issue 18; docs/operations.md
# "The services' JIT compilers").
#
#   bench/restart-bench/jit-pairs.sh ROUNDS [part...]     (default parts: tools router agent swarm gateway)
#
# Needs a stack started by ./codetether up --no-supervise from the same folder and environment (a supervisor would
# take this script's stops for crashes and start the part itself, under its own setting). At the end each part runs
# the setting its last timed start had. The setting is part of a start's
# flags, so each one has its own cache: per part and round, in the order c1, tiered (tiered, c1 in even rounds), the
# part is restarted twice unmeasured under the setting (the first start records its cache, the second one's stop
# wrote it) and then stopped and started timed, as restart-times.sh: from the JVM's own start to its first
# /q/health/ready UP, with the JVM's CPU and resident memory at that moment.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds_and_parts "$@"

[ -e "$ROOT/.codetether/pids/supervisor.off" ] \
  || { echo "start the stack with ./codetether up --no-supervise (a supervisor restarts what this stops)" >&2; exit 1; }
finish_recordings "${PARTS[@]}"

for r in $(seq 1 "$ROUNDS"); do
  for part in "${PARTS[@]}"; do
    if [ $((r % 2)) -eq 1 ]; then order=(c1 tiered); else order=(tiered c1); fi
    for jit in "${order[@]}"; do
      export CODETETHER_SERVICE_JIT="$jit"
      "$ROOT/codetether" restart "$part" >/dev/null
      "$ROOT/codetether" restart "$part" >/dev/null
      OLD=$(pid_of "$part")
      stop "$part"
      start_timed "$part" aot "$jit"
      c1=no
      tr '\0' ' ' <"/proc/$(pid_of "$part")/cmdline" | grep -q -- '-XX:TieredStopAtLevel=1' && c1=yes
      [ "$c1" = "$([ "$jit" = c1 ] && echo yes || echo no)" ] \
        || { echo "$part: started with other JIT flags than $jit" >&2; exit 1; }
    done
  done
done
