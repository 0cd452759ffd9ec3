#!/usr/bin/env bash
# What a gateway answers while its task state is still starting (issue 19: the servers answer at once, readiness is
# DOWN with a reason, A2A calls get a retryable UNAVAILABLE; then UP). Uses the broker and stored tasks of
# gateway-stored-flow.sh's DIR, and starts the packaged gateway COLD (a store dir of its own, emptied first, another
# instance id) so that its task state reads every stored task: for SECONDS it prints once a second, since the JVM's
# start, readiness' status and task-events data and what a JSON-RPC GetTask got; then it stops everything.
#
#   bench/restart-bench/cold-answers.sh DIR [SECONDS]     (SECONDS 40; ports as gateway-stored-flow.sh's)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:?dir}"
SECONDS_TO_WATCH="${2:-40}"
KPORT="${CT_KAFKA_PORT:-29792}"
HPORT="${CT_HTTP_PORT:-28180}"
GPORT="${CT_GRPC_PORT:-28190}"
JAVA="${JAVA_HOME:?JAVA_HOME}/bin/java"
CP="$ROOT/bench/gateway-store-bench/target/classes:$ROOT/bench/gateway-store-bench/target/lib/*"
APP="${CT_GATEWAY_APP:-$ROOT/gateway-service/target/quarkus-app}"
[ -d "$DIR/kafka" ] || { echo "no broker data in $DIR: run gateway-stored-flow.sh first" >&2; exit 1; }

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$JAVA" -Xmx1g -cp "$CP" run.codetether.fixtures.kafka.LocalKafkaMain "$DIR/kafka" "$KPORT" "$((KPORT + 1))" \
  >"$DIR/kafka-cold-answers.log" 2>&1 &
PIDS+=($!)
until (exec 3<>"/dev/tcp/127.0.0.1/$KPORT") 2>/dev/null; do sleep 0.5; done

rm -rf "$DIR/cold-answers-store"
CODETETHER_KAFKA_BOOTSTRAP="127.0.0.1:$KPORT" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  --enable-native-access=ALL-UNNAMED -Dquarkus.profile=local -Dquarkus.http.port="$HPORT" \
  -Dquarkus.grpc.server.port="$GPORT" -Dcodetether.gateway.store.dir="$DIR/cold-answers-store" \
  -Dcodetether.local.state-dir="$DIR/state" -Dcodetether.gateway.instance-id=bench-gw-cold \
  -jar "$APP/quarkus-run.jar" >"$DIR/gateway-cold-answers.log" 2>&1 &
GW=$!
PIDS+=("$GW")
TICK=$(getconf CLK_TCK)
sleep 0.2
start=$(awk -v t="$(sed 's/^.*) //' "/proc/$GW/stat" | cut -d' ' -f20)" -v hz="$TICK" 'BEGIN{printf "%.2f", t/hz}')
end=$(( $(date +%s) + SECONDS_TO_WATCH ))
while [ "$(date +%s)" -lt "$end" ]; do
  now=$(awk '{print $1}' /proc/uptime)
  body=$(curl -s -m 1 -w ' HTTP %{http_code}' "http://127.0.0.1:$HPORT/q/health/ready" 2>/dev/null | tr -d '\n' || true)
  ready="$(printf '%s' "$body" | grep -oE 'HTTP [0-9]+$' || true) $(printf '%s' "$body" \
    | grep -oE '"status": *"(UP|DOWN)"' | head -1 || true) $(printf '%s' "$body" | grep -oE '"taskState": *"[^"]*"' || true)"
  rpc=$(curl -s -m 1 -H 'Content-Type: application/json' -H 'A2A-Version: 1.0' \
    -d '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"probe"}}' "http://127.0.0.1:$HPORT/" 2>/dev/null \
    | grep -oE '"code": *-?[0-9]+|"retryAfterSeconds": *[0-9]+' | paste -sd' ' || true)
  printf '%6.1f s  readiness: %s  GetTask: %s\n' "$(awk -v a="$now" -v b="$start" 'BEGIN{print a-b}')" \
    "${ready:-no answer}" "${rpc:-no answer}"
  sleep 1
done
grep -oE 'task state ready in [0-9]+ ms' "$DIR/gateway-cold-answers.log" || echo "(task state still starting when stopped)"
