#!/usr/bin/env bash
# The whole packaged gateway restarted at N stored tasks, idle and while tasks flow (issue 19: "1,000,000 stored
# tasks with gateway heap <= 256 MB, restart to ready <= 10 s at that size"; bench/README.md "Whole gateway restart
# at 1M stored tasks while tasks flow").
#
#   bench/restart-bench/gateway-stored-flow.sh DIR ROUNDS [TASKS] [RATE]     (TASKS 1000000, RATE 20 tasks/s)
#
# Needs the packaged gateway (gateway-service/target/quarkus-app) and the store bench
# (./mvnw -Pbench -pl bench/gateway-store-bench -am package -DskipTests). Own ports (CT_KAFKA_PORT 29792,
# CT_HTTP_PORT 28180, CT_GRPC_PORT 28190), everything under DIR: a broker (LocalKafkaMain), TASKS tasks written once
# on tasks.state (GatewayStoreBench write, as the gateway writes them), one cold start of the gateway (reads them
# all into its store under DIR/store), then ROUNDS pairs of warm restarts: idle, and with GatewayStoreBench flow
# putting RATE new tasks a second on tasks.events from 15 s before the start until after it is ready. The gateway
# runs as ./codetether starts it (-Xmx256m, SerialGC, C1 only, profile local) without an AOT cache; each start is
# timed from the JVM's own start (/proc/PID/stat) to its first /q/health/ready 200 (polled every 50 ms; "http": its
# first HTTP answer of any kind, and when that was a 503, what readiness and a GetTask said then), with the
# JVM's utime+stime then, the classes it had loaded then, the seconds it spent loading and initialising them and in the
# JIT (jcmd PerfCounter.print: counts, less noisy than wall time on a shared machine), and the heap after a GC (jcmd
# GC.heap_info after System.gc) once ready.
# CT_GATEWAY_OPTS: more JVM options for the gateway, each start its own label in them as %L, e.g.
#   CT_GATEWAY_OPTS='-XX:StartFlightRecording=filename=/tmp/m/%L.jfr,settings=profile'
# CT_GATEWAY_APP: another packaged gateway (a quarkus-app folder, e.g. a copy of another build's) for before/after
# pairs on the same store. CT_AOT=1: with the AOT cache as ./codetether gives it (JDK 25, -XX:AOTCache): the first
# warm start (label aot-record) records it, written when that start stops, the later ones load it; one cache per
# app folder, under DIR. CT_ROUNDS_IDLE_ONLY=1: no flow starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:?dir}"
ROUNDS="${2:?rounds}"
TASKS="${3:-1000000}"
RATE="${4:-20}"
KPORT="${CT_KAFKA_PORT:-29792}"
HPORT="${CT_HTTP_PORT:-28180}"
GPORT="${CT_GRPC_PORT:-28190}"
JAVA="${JAVA_HOME:?JAVA_HOME}/bin/java"
CP="$ROOT/bench/gateway-store-bench/target/classes:$ROOT/bench/gateway-store-bench/target/lib/*"
APP="${CT_GATEWAY_APP:-$ROOT/gateway-service/target/quarkus-app}"
JAR="$APP/quarkus-run.jar"
AOT="$DIR/gateway-$(printf '%s' "$(cd "$APP" && pwd)" | cksum | cut -d' ' -f1).aot"
TICK=$(getconf CLK_TCK)
BOOT="127.0.0.1:$KPORT"
mkdir -p "$DIR"
[ -f "$JAR" ] || { echo "$JAR missing: package gateway-service first" >&2; exit 1; }
[ -d "$ROOT/bench/gateway-store-bench/target/lib" ] || { echo "package bench/gateway-store-bench (-Pbench)" >&2; exit 1; }

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$JAVA" -Xmx1g -cp "$CP" run.codetether.fixtures.kafka.LocalKafkaMain "$DIR/kafka" "$KPORT" "$((KPORT + 1))" \
  >"$DIR/kafka.log" 2>&1 &
PIDS+=($!)
until (exec 3<>"/dev/tcp/127.0.0.1/$KPORT") 2>/dev/null; do sleep 0.5; done

if [ ! -f "$DIR/written-$TASKS" ]; then
  "$JAVA" -Xmx1g -cp "$CP" run.codetether.bench.store.GatewayStoreBench write "$BOOT" "$TASKS" 2048
  touch "$DIR/written-$TASKS"
fi

GW=0
start_gateway() { # label
  local opts="${CT_GATEWAY_OPTS:-}"
  if [ -n "${CT_AOT:-}" ] && [ "$1" != cold ]; then
    # as ./codetether's service_aot_opts: record on the first start, load afterwards
    if [ -f "$AOT" ]; then opts+=" -XX:AOTCache=$AOT"; else opts+=" -XX:AOTCacheOutput=$AOT"; fi
    opts+=" -Xlog:aot=off -Xlog:cds=off -Xlog:aot=warning,cds=warning:file=$DIR/gateway-$1-aot.log::filecount=0"
  fi
  # shellcheck disable=SC2086 # the options are words
  CODETETHER_KAFKA_BOOTSTRAP="$BOOT" "$JAVA" ${opts//%L/$1} -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
    -Dquarkus.profile=local -Dquarkus.http.port="$HPORT" -Dquarkus.grpc.server.port="$GPORT" \
    -Dcodetether.gateway.store.dir="$DIR/store" -Dcodetether.local.state-dir="$DIR/state" \
    -Dcodetether.gateway.instance-id=bench-gw \
    -jar "$JAR" >"$DIR/gateway-$1.log" 2>&1 &
  GW=$!
}
timed() { # label flow-pid-or-empty
  local before stat now start cpu heap out code perf first="" early=""
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  start_gateway "$1"
  # ready: HTTP 200 (a 503 body has checks UP beside the one DOWN); the first answer of any kind is noted, and
  # when it is not ready yet, what readiness said and what a JSON-RPC GetTask got then
  while :; do
    out=$(curl -s -m 1 -w '\n%{http_code}' "http://127.0.0.1:$HPORT/q/health/ready" 2>/dev/null || true)
    code=${out##*$'\n'}
    if [ -z "$first" ] && [ -n "$code" ] && [ "$code" != 000 ]; then
      first=$(awk '{print $1}' /proc/uptime)
      [ "$code" = 200 ] || early="; first HTTP answer $code ($(printf '%s' "$out" | grep -o '"taskState": *"[^"]*"' \
        | head -1 | cut -c1-90); GetTask then $(curl -s -m 2 -H 'Content-Type: application/json' -H 'A2A-Version: 1.0' \
        -d '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"probe"}}' "http://127.0.0.1:$HPORT/" \
        | grep -o '"code": *-\?[0-9]*' | head -1))"
    fi
    [ "$code" = 200 ] && break
    kill -0 "$GW" 2>/dev/null || { echo "gateway exited: $DIR/gateway-$1.log" >&2; exit 1; }
    sleep 0.05
  done
  now=$(awk '{print $1}' /proc/uptime)
  read -ra stat < <(sed 's/^.*) //' "/proc/$GW/stat")
  # after the ")": utime (field 14) is index 11, stime 12, starttime (22) 19
  start=$(awk -v t="${stat[19]}" -v hz="$TICK" 'BEGIN{printf "%.2f", t/hz}')
  cpu=$(awk -v u="${stat[11]}" -v s="${stat[12]}" -v hz="$TICK" 'BEGIN{printf "%.2f", (u+s)/hz}')
  # classes loaded (of them from the CDS/AOT archive), class loading and JIT seconds, read before the GC below
  perf=$("$JAVA_HOME/bin/jcmd" "$GW" PerfCounter.print 2>/dev/null | awk -F= '
    { v[$1] = $2 } END { f = v["sun.os.hrt.frequency"]; if (f == "") { print "classes ?"; exit }
      printf "classes %d (%d shared), loading %.2f s, init %.2f s, JIT %.2f s (%d methods)", v["java.cls.loadedClasses"],
        v["java.cls.sharedLoadedClasses"], v["sun.cls.time"] / f, v["sun.cls.classInitTime.self"] / f,
        (v["sun.ci.standardTime"] + v["sun.ci.osrTime"]) / f, v["sun.ci.totalCompiles"] }')
  "$JAVA_HOME/bin/jcmd" "$GW" GC.run >/dev/null 2>&1 || true
  heap=$("$JAVA_HOME/bin/jcmd" "$GW" GC.heap_info 2>/dev/null | awk '/^ *(DefNew|Tenured|def new generation|tenured generation)/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { printf "%.1f", s / 1024 }')
  # the task state's own part (and its catch-up on the events), then Quarkus' whole boot that contains it
  printf '%-6s ready %7.2f s  http %7.2f s  cpu %6.2f s  %s  heap after GC %s MiB  load %s -> %s  %s; %s%s\n' "$1" \
    "$(awk -v a="$now" -v b="$start" 'BEGIN{print a-b}')" "$(awk -v a="$first" -v b="$start" 'BEGIN{print a-b}')" \
    "$cpu" "$perf" "$heap" "$before" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(grep -oE 'task state ready in [0-9]+ ms|[0-9]+ events caught up on in [0-9]+ ms' "$DIR/gateway-$1.log" | head -2 | paste -sd' ')" \
    "$(grep -oE 'started in [0-9.]+s' "$DIR/gateway-$1.log" | head -1 | sed 's/^/Quarkus /')" "$early"
  kill -TERM "$GW"
  while kill -0 "$GW" 2>/dev/null; do sleep 0.1; done
}

[ -d "$DIR/store" ] || timed cold
[ -z "${CT_AOT:-}" ] || [ -f "$AOT" ] || [ "$ROUNDS" = 0 ] || timed aot-record
for r in $(seq 1 "$ROUNDS"); do
  timed "idle$r"
  [ -z "${CT_ROUNDS_IDLE_ONLY:-}" ] || continue
  "$JAVA" -Xmx256m -cp "$CP" run.codetether.bench.store.GatewayStoreBench flow "$BOOT" "$RATE" 600 \
    >"$DIR/flow$r.log" 2>&1 &
  FLOW=$!
  PIDS+=("$FLOW")
  sleep 15 # tasks came while the gateway was down: its start catches up on them and on what keeps coming
  timed "flow$r"
  kill -TERM "$FLOW" 2>/dev/null || true
  wait "$FLOW" 2>/dev/null || true
  tail -1 "$DIR/flow$r.log"
done
