#!/usr/bin/env bash
# Start to ready of each service of the local stack, with its AOT cache and without (CODETETHER_NO_AOT=1), in
# alternating pairs (issues 19/16; bench/README.md "Service restart with and without the AOT cache").
#
#   bench/restart-bench/restart-times.sh ROUNDS [part...]     (default parts: tools router agent swarm gateway)
#
# Needs a stack started by ./codetether up from the same folder and environment (ports: CODETETHER_*_PORT), whose
# start-up caches are recorded (a start after the build's first start was stopped). For each round and part: the
# part is stopped (SIGTERM), started by `./codetether up` with or without its cache (the order alternates by
# round), and timed from the JVM's own start (/proc/PID/stat) to its first /q/health/ready UP (polled every 50 ms);
# CPU is the JVM's utime+stime at that moment. Prints one line per start and the load average beside it.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds_and_parts "$@"

finish_recordings "${PARTS[@]}"

for r in $(seq 1 "$ROUNDS"); do
  for part in "${PARTS[@]}"; do
    if [ $((r % 2)) -eq 1 ]; then order=(aot plain); else order=(plain aot); fi
    for mode in "${order[@]}"; do
      OLD=$(pid_of "$part")
      stop "$part"
      start_timed "$part" "$mode"
    done
  done
done
