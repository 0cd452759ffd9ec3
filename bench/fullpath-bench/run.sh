#!/usr/bin/env bash
# The full-path benchmark (issue 18) in one command: builds what it needs, installs the JS SDK agent's packages,
# runs FullPathBench. Usage: bench/fullpath-bench/run.sh [--no-build] [bench options]; --help lists them all.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
die() { echo "fullpath-bench: $*" >&2; exit 1; }

build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --help|-h)
      cat <<'USAGE'
bench/fullpath-bench/run.sh [--no-build] [bench options]

  Builds (./mvnw -o -Pbench -pl bench/fullpath-bench -am package -DskipTests: the five services, test-fixtures and
  the bench), installs @a2a-js/sdk@1.3.0 + express@5 into bench/fullpath-bench/target/js when missing (npm), then
  runs the bench. --no-build skips the Maven build (the packaged jars must exist). Needs a JDK >= 21 (JAVA_HOME or
  /usr/lib/jvm), wrk (apt-get install -y wrk) and node.

USAGE
      args+=("--help") ;;
    *) args+=("$a") ;;
  esac
done

command -v wrk >/dev/null 2>&1 || die "wrk is not installed: apt-get install -y wrk (Debian package wrk)"
command -v node >/dev/null 2>&1 || die "node is not installed: apt-get install -y nodejs"
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ]; then
  for c in /usr/lib/jvm/*; do [ -x "$c/bin/javac" ] && JAVA_HOME="$c"; done
fi
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] || die "no JDK found: set JAVA_HOME to a JDK >= 21"
export JAVA_HOME

cd "$ROOT"
if [ "$build" = 1 ] && [[ " ${args[*]-} " != *" --help "* ]]; then
  ./mvnw -B -q -o -Pbench -pl bench/fullpath-bench -am package -DskipTests \
    || die "build failed: run ./mvnw -B -o -Pbench -pl bench/fullpath-bench -am package -DskipTests to see why"
fi
jar=$(ls "$HERE"/target/fullpath-bench-*.jar 2>/dev/null | grep -v sources | head -1 || true)
[ -n "$jar" ] && [ -d "$HERE/target/lib" ] || die "bench/fullpath-bench is not built: run without --no-build"
if [ ! -d "$HERE/target/js/node_modules/@a2a-js/sdk" ] || [ ! -d "$HERE/target/js/node_modules/express" ]; then
  mkdir -p "$HERE/target/js"
  (cd "$HERE/target/js" && npm install --no-save --no-package-lock --ignore-scripts --silent @a2a-js/sdk@1.3.0 express@5) \
    || die "npm install of @a2a-js/sdk@1.3.0 express@5 into $HERE/target/js failed"
fi
# nodelay: the scripted model (in this JVM) must not hold its small SSE writes on delayed ACKs
# bench-dir: the JS agent and its packages are this checkout's, also when --root names another build's tree
exec "$JAVA_HOME/bin/java" -Xmx512m -Dsun.net.httpserver.nodelay=true -Dcodetether.fullpath.bench-dir="$HERE" -cp "$jar:$HERE/target/lib/*" run.codetether.bench.fullpath.FullPathBench \
  --root "$ROOT" "${args[@]}"
