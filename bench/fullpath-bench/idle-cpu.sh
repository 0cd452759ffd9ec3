#!/usr/bin/env bash
# Idle cost of swarm-service and the gateway (issue 18): a broker, swarm-service and one gateway with nothing asked
# of them, their CPU (utime+stime from /proc/PID/stat) over a window after a warm-up, a JFR recording of the idle
# swarm-service, and the cognition thoughts the gateway folded meanwhile (GET /v1/cognition/status).
# Usage: idle-cpu.sh <swarm quarkus-app dir> <gateway quarkus-app dir> <out dir> [window s, 60] [warm-up s, 30]
# Extra JVM flags of swarm-service: SWARM_OPTS (e.g. -Dcodetether.swarm.cognition.auto-start=true).
set -euo pipefail
SWARM_APP="$1"; GW_APP="$2"; OUT="$3"; WINDOW="${4:-60}"; WARM="${5:-30}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+ (./codetether picks one: the newest under /usr/lib/jvm)}/bin/java"
JCMD="$(dirname "$JAVA")/jcmd"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
KP=$(free_port); KC=$(free_port); SP=$(free_port); GP=$(free_port); GG=$(free_port)
STATE="$(mktemp -d)"; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$STATE"; }
trap cleanup EXIT
FIX="${FIXTURES:-$ROOT/test-fixtures/target}" # a built test-fixtures (install it, or point FIXTURES at one)
cp="$(ls "$FIX"/test-fixtures-*.jar | grep -v sources | head -1):$FIX/lib/*"
"$JAVA" -Xmx256m -XX:+UseSerialGC -Dlog4j2.level=WARN -cp "$cp" run.codetether.fixtures.kafka.LocalKafkaMain \
  "$STATE/kafka" "$KP" "$KC" 4 >"$OUT/kafka.log" 2>&1 & PIDS+=($!)
KAFKA=${PIDS[-1]}; deadline=$((SECONDS + 120))
until grep -q "KAFKA READY" "$OUT/kafka.log"; do
  kill -0 "$KAFKA" 2>/dev/null || { echo "the broker died; see $OUT/kafka.log" >&2; exit 1; }
  (( SECONDS < deadline )) || { echo "the broker was not ready in 120 s; see $OUT/kafka.log" >&2; exit 1; }
  sleep 0.5
done
JVM=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -Dquarkus.profile=local
     -Dcodetether.local.state-dir="$STATE" -Dkafka.bootstrap.servers=127.0.0.1:$KP)
CODETETHER_KAFKA_BOOTSTRAP=127.0.0.1:$KP "$JAVA" "${JVM[@]}" ${SWARM_OPTS:-} -Dquarkus.http.port=$SP \
  -jar "$SWARM_APP/quarkus-run.jar" >"$OUT/swarm.log" 2>&1 & SWARM=$!; PIDS+=($SWARM)
CODETETHER_KAFKA_BOOTSTRAP=127.0.0.1:$KP "$JAVA" "${JVM[@]}" -Dquarkus.http.port=$GP -Dquarkus.grpc.server.port=$GG \
  -jar "$GW_APP/quarkus-run.jar" >"$OUT/gateway.log" 2>&1 & GW=$!; PIDS+=($GW)
deadline=$((SECONDS + 600))
for port in $SP $GP; do
  until curl -s -m 2 "http://127.0.0.1:$port/q/health/ready" | grep -q '"UP"'; do
    kill -0 $SWARM && kill -0 $GW || { echo "a service died; see $OUT"; exit 1; }
    (( SECONDS < deadline )) || { echo "the services were not ready in 600 s; see $OUT" >&2; exit 1; }
    sleep 1; done
done
sleep "$WARM"
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
"$JCMD" $SWARM JFR.start name=idle settings=profile duration=${WINDOW}s filename="$OUT/swarm-idle.jfr" >/dev/null
s0=$(ticks $SWARM); g0=$(ticks $GW); e0=$(curl -s "http://127.0.0.1:$GP/v1/cognition/status"); l0=$(cut -d' ' -f1-3 /proc/loadavg)
sleep "$WINDOW"
s1=$(ticks $SWARM); g1=$(ticks $GW); e1=$(curl -s "http://127.0.0.1:$GP/v1/cognition/status"); l1=$(cut -d' ' -f1-3 /proc/loadavg)
sleep 2
awk -v s=$((s1-s0)) -v g=$((g1-g0)) -v hz=$hz -v w=$WINDOW 'BEGIN{printf "swarm %.1f ms/s  gateway %.1f ms/s over %d s\n", s*1000/hz/w, g*1000/hz/w, w}' | tee "$OUT/result.txt"
echo "load before: $l0  after: $l1" | tee -a "$OUT/result.txt"
echo "cognition status before: $e0" >>"$OUT/result.txt"
echo "cognition status after:  $e1" >>"$OUT/result.txt"
tail -2 "$OUT/result.txt"
