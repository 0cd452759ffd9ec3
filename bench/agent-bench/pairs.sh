#!/usr/bin/env bash
# Before/after pairs of bench/agent-bench (issue 20's "agent-bench no worse"): runs `AgentBench overhead` of two built
# roots interleaved (before, after; then after, before; ...) so both see the same load, `uptime` beside each run.
#
#   bench/agent-bench/pairs.sh BEFORE_ROOT AFTER_ROOT [rounds=2] [tasks=200] [steps=20] [tools="list_dir write_file"]
#
# Each root must have bench/agent-bench built:
#   cd ROOT && ./mvnw -B -q -o -Pbench -pl bench/agent-bench -am package -DskipTests
# (use `package`, not `install`, for an old tree, so ~/.m2 keeps the current artifacts). BENCH_OPTS adds JVM options
# to both. Both run with log levels below BENCH_LOG_LEVEL (default INFO, as a service's quarkus.log.level) off:
# without it the Quarkus jars on the bench's classpath configure jboss-logmanager with every level enabled, so the
# Kafka clients and broker build their TRACE/DEBUG messages for every record (a cost no service pays, and one that
# grows with the records a step writes). BENCH_LOG_LEVEL=ALL measures that way again.
# Prints one line per run (p50/p90 per step of A loop only, B through Kafka, C + LangChain4j HTTP + gRPC; the process's
# CPU per step of B and C where the build prints it, -Dbench.parts=C in BENCH_OPTS runs only C there; the whole run's
# user + system CPU seconds by /usr/bin/time, which compares builds without that line) and keeps
# every run's full output under ${OUT:-/tmp/agent-pairs-<time>}. A run of `overhead 200 20` takes about 1.5 min on
# 2 quiet cores: `pairs.sh B A 2 200 20 list_dir` about 6-8 min.
set -euo pipefail
before=${1:?usage: pairs.sh BEFORE_ROOT AFTER_ROOT [rounds] [tasks] [steps] [tools]}
after=${2:?usage: pairs.sh BEFORE_ROOT AFTER_ROOT [rounds] [tasks] [steps] [tools]}
rounds=${3:-2}
tasks=${4:-200}
steps=${5:-20}
tools=${6:-"list_dir write_file"}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# the level Quarkus's initial log configurator (quarkus-bootstrap-runner, first to configure the log context) enables
opts="-Dlogging.initial-configurator.min-level=${BENCH_LOG_LEVEL:-INFO} ${BENCH_OPTS:-}"
out=${OUT:-/tmp/agent-pairs-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out"
[[ -x /usr/bin/time ]] || { echo "pairs.sh: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }
for root in "$before" "$after"; do
    [[ -d $root/bench/agent-bench/target/classes && -d $root/bench/agent-bench/target/lib ]] || {
        echo "pairs.sh: $root has no built bench/agent-bench (see the header for the build command)" >&2; exit 2; }
done
load() { cut -d' ' -f1 /proc/loadavg; }
run() { # label root tool round
    local label=$1 root=$2 tool=$3 n=$4 log="$out/$1-$3-$4.txt" l0 l1 t0
    l0=$(load); t0=$(date +%s)
    # the JVM's user + system CPU for the whole run (start, warm-up, A, B, C): the same work in both builds
    (cd "$root" && /usr/bin/time -f '%U %S' -o "$log.cpu" "$java" -Xmx1g -Dsun.net.httpserver.nodelay=true $opts \
        -cp "bench/agent-bench/target/classes:bench/agent-bench/target/lib/*" \
        run.codetether.bench.agent.AgentBench overhead "$tasks" "$steps" "$tool") >"$log" 2>&1 \
        || { echo "pairs.sh: $label $tool round $n failed, see $log" >&2; return 1; }
    l1=$(load)
    # the three "per step:" lines are A, B, C in that order
    printf '%-6s %-10s round %s load %5s -> %5s %4ss  %s\n' "$label" "$tool" "$n" "$l0" "$l1" $(( $(date +%s) - t0 )) \
        "$(grep 'per step:' "$log" | sed -E 's/.*p50 ([0-9.]+) ms +p90 ([0-9.]+) ms.*/\1 (\2)/' | paste -sd'|' \
        | sed 's/|/  |  /g')$(grep -o 'process cpu: [0-9.]*' "$log" | sed 's/process cpu: //' | paste -sd'/' \
        | sed "s/^./  cpu ms a step (parts run): &/")  run cpu $(awk '{printf "%.1f", $1 + $2}' "$log.cpu") s"
}
echo "# pairs $(date -u +%FT%TZ) before=$before ($(git -C "$before" rev-parse --short HEAD 2>/dev/null || echo ?))" \
    "after=$after ($(git -C "$after" rev-parse --short HEAD 2>/dev/null || echo ?)) overhead $tasks $steps;" \
    "JVM options: $opts; $(uptime)"
echo "# columns: per step p50 (p90) ms: A loop only | B through Kafka | C + LangChain4j HTTP + gRPC; logs in $out"
for n in $(seq 1 "$rounds"); do
    for tool in $tools; do
        if (( n % 2 )); then run before "$before" "$tool" "$n"; run after "$after" "$tool" "$n"
        else run after "$after" "$tool" "$n"; run before "$before" "$tool" "$n"; fi
    done
done
echo "# done $(date -u +%FT%TZ); $(uptime)"
