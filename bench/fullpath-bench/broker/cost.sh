#!/usr/bin/env bash
# Broker CPU per record, two local brokers side by side (issue 18): A with the embedded broker's settings, B with
# those plus the given ones; each warmed with N records, then ROUNDS x (A, B) alternating (BrokerCost.java: 8
# writers each awaiting its acks=all idempotent lz4 send, as 8 tasks would, 2 consumer groups reading, commits 1/s).
# Usage: broker/cost.sh N ROUNDS "-Dcodetether.kafka.broker.KEY=VALUE ..." [compression, lz4]
set -euo pipefail
N=$1; ROUNDS=$2; BSET=$3; COMP=${4:-lz4}
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
CP="$(ls "$ROOT"/test-fixtures/target/test-fixtures-*.jar | grep -v sources | head -1):$ROOT/test-fixtures/target/lib/*"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=(); trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT
declare -A PORT PID
for b in A B; do
  OUT="$ROOT/bench/fullpath-bench/target/broker-cost-$b"; rm -rf "$OUT"; mkdir -p "$OUT"; : >"$OUT/kafka.log"
  S=(); [ "$b" = B ] && read -r -a S <<<"$BSET"
  P=$(free_port)
  "$JAVA" -Xmx256m -XX:+UseSerialGC -Dlog4j2.level=WARN "${S[@]}" -cp "$CP" run.codetether.fixtures.kafka.LocalKafkaMain \
    "$OUT/data" "$P" "$(free_port)" 4 >>"$OUT/kafka.log" 2>&1 &
  PIDS+=($!); PID[$b]=$!; PORT[$b]=$P
done
for b in A B; do
  for _ in $(seq 240); do grep -q "KAFKA READY" "$ROOT/bench/fullpath-bench/target/broker-cost-$b/kafka.log" && break; sleep 0.5; done
done
run() {
  echo -n "$1 $2 load $(cut -d' ' -f1 /proc/loadavg): "
  "$JAVA" -Xmx256m -cp "$CP" "$HERE/BrokerCost.java" "127.0.0.1:${PORT[$1]}" "${PID[$1]}" "$COMP" "$N" 8 2 2>&1 \
    | grep -v SLF4J | tail -1
}
run A warm; run B warm
for r in $(seq "$ROUNDS"); do if (( r % 2 )); then run A "$r"; run B "$r"; else run B "$r"; run A "$r"; fi; done
