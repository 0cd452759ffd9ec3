#!/usr/bin/env bash
# The local broker's own idle CPU, no client connected (issue 18): LocalKafkaMain alone, utime+stime from
# /proc/PID/stat over a window after a warm-up, and the ten busiest threads' ticks.
# Usage: broker/idle.sh LABEL [window s, 45] [warm-up s, 45] [-Dcodetether.kafka.broker.KEY=VALUE ...]
# Needs a built test-fixtures (./mvnw -B -q -o install -DskipTests -pl test-fixtures -am) and JAVA_HOME (JDK 21+).
set -euo pipefail
LABEL=$1; WIN=${2:-45}; WARM=${3:-45}; shift $(( $# < 3 ? $# : 3 ))
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"; JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
CP="$(ls "$ROOT"/test-fixtures/target/test-fixtures-*.jar | grep -v sources | head -1):$ROOT/test-fixtures/target/lib/*"
OUT="$ROOT/bench/fullpath-bench/target/broker-idle-$LABEL"; rm -rf "$OUT"; mkdir -p "$OUT"; : >"$OUT/kafka.log"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$JAVA" -Xmx256m -XX:+UseSerialGC -Dlog4j2.level=WARN "$@" -cp "$CP" run.codetether.fixtures.kafka.LocalKafkaMain \
  "$OUT/data" "$(free_port)" "$(free_port)" 4 >>"$OUT/kafka.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 240); do grep -q "KAFKA READY" "$OUT/kafka.log" && break; sleep 0.5; done
grep -q "KAFKA READY" "$OUT/kafka.log" || { echo "the broker was not ready in 120 s: $OUT/kafka.log" >&2; exit 1; }
sleep "$WARM"
ticks() { awk '{print $14+$15}' "$1"; }
declare -A T0; for t in /proc/$PID/task/*; do T0[${t##*/}]=$(ticks "$t/stat" 2>/dev/null || echo 0); done
p0=$(ticks /proc/$PID/stat); l0=$(cut -d' ' -f1 /proc/loadavg)
sleep "$WIN"
p1=$(ticks /proc/$PID/stat); l1=$(cut -d' ' -f1 /proc/loadavg); hz=$(getconf CLK_TCK)
awk -v t=$((p1 - p0)) -v hz="$hz" -v w="$WIN" -v n="$(ls /proc/$PID/task | wc -l)" -v l="$LABEL" -v a="$l0" -v b="$l1" \
  'BEGIN{printf "%s: broker %.1f ms CPU per s idle over %d s, %d threads, load %s -> %s\n", l, t*1000/hz/w, w, n, a, b}' \
  | tee "$OUT/result.txt"
for t in /proc/$PID/task/*; do
  echo "$(( $(ticks "$t/stat" 2>/dev/null || echo 0) - ${T0[${t##*/}]:-0} )) $(cat "$t/comm" 2>/dev/null)"
done | sort -rn | head -10 | tee -a "$OUT/result.txt"
