#!/usr/bin/env bash
# Issue 16's start-up bounds on a QUIET machine (load average < 1 before it starts; nothing else building):
# `run` to its first request (the launcher's early path, then the JVM's path) and the TUI's first frame, through
# bench/cli-bench in a checkout. Takes about 6-8 minutes on 2 idle cores (build ~3-4 min when ~/.m2 is populated and
# cli is not built yet, training runs ~1 min, measuring ~2-3 min); prints `uptime` before and after each row, so a
# row taken while the load rose can be told.
# Usage: bash bench/cli-bench/quiet.sh [CHECKOUT]   (default: the checkout this script is in)
set -euo pipefail
REPO=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$REPO"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
command -v script >/dev/null && command -v /usr/bin/time >/dev/null || { echo "needs script(1) and GNU time" >&2; exit 1; }
echo "== $(git rev-parse --short HEAD) in $REPO, $(nproc) cores; load before the build: $(uptime)"
./mvnw -B -q -o -Pbench -pl cli,bench/cli-bench -am package -DskipTests
BENCH=bench/cli-bench/target/cli-bench.jar
row() { echo "== $*   (load before: $(uptime | sed 's/.*load average: //'))"; java -jar "$BENCH" --launcher ./codetether "$@"
        echo "   (load after: $(uptime | sed 's/.*load average: //'))"; }
row --only run,tui --runs 9
row --only run --runs 9 --no-early-run
row --only version --runs 9
echo "== goals: TUI first frame <= 150 ms, run to its first request <= 120 ms (wall p50)"
