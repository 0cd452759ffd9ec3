# Shared by restart-times.sh, packaging-pairs.sh and jit-pairs.sh: timing one start of a part of the local stack from the JVM's own
# start (/proc/PID/stat) to its first /q/health/ready UP, with the JVM's utime+stime at that moment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
declare -A PORT=([gateway]="${CODETETHER_GATEWAY_PORT:-8080}" [agent]="${CODETETHER_AGENT_PORT:-8081}"
  [router]="${CODETETHER_ROUTER_PORT:-8082}" [swarm]="${CODETETHER_SWARM_PORT:-8083}" [tools]="${CODETETHER_TOOLS_PORT:-8084}")
TICK=$(getconf CLK_TCK)

pid_of() { cat "$ROOT/.codetether/pids/$1.pid"; }
stop() { # part
  local p
  p=$(pid_of "$1")
  kill -TERM "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
}
up_ready() { # part port
  curl -s -m 1 "http://127.0.0.1:$2/q/health/ready" 2>/dev/null | grep -q '"status": *"UP"'
}
rounds_and_parts() { # ROUNDS [part...]: sets ROUNDS and PARTS (default: the five services)
  ROUNDS="${1:?rounds}"
  shift
  PARTS=("$@")
  [ ${#PARTS[@]} -gt 0 ] || PARTS=(tools router agent swarm gateway)
}
launcher_ended() { # pid: exited (a zombie until waited for, so kill -0 still succeeds) or gone
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
  [ "${st:0:1}" = Z ]
}
start_timed() { # part mode [label]
  local part="$1" mode="$2" label="${3:-$2}" p stat boot now start cpu rss
  if [ "$mode" = aot ]; then "$ROOT/codetether" up >/dev/null 2>&1 &
  else CODETETHER_NO_AOT=1 "$ROOT/codetether" up >/dev/null 2>&1 & fi
  local launcher=$!
  # the launcher writes the new pid file before it waits (it removes the old one first: absent meanwhile)
  until p=$(pid_of "$part" 2>/dev/null) && [ -n "$p" ] && [ "$p" != "$OLD" ]; do
    if launcher_ended "$launcher"; then
      p=$(pid_of "$part" 2>/dev/null) && [ -n "$p" ] && [ "$p" != "$OLD" ] && break
      echo "$part: ./codetether up ended without starting it" >&2; exit 1
    fi
    sleep 0.02
  done
  until up_ready "$part" "${PORT[$part]}"; do sleep 0.05; done
  now=$(awk '{print $1}' /proc/uptime)
  read -ra stat < <(sed 's/^.*) //' "/proc/$p/stat")
  # after the ")": field 3 is state, so utime (14) is index 11, stime 12, starttime (22) 19
  start=$(awk -v t="${stat[19]}" -v hz="$TICK" 'BEGIN{printf "%.2f", t/hz}')
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")
  cpu=$(awk -v u="${stat[11]}" -v s="${stat[12]}" -v hz="$TICK" 'BEGIN{printf "%.2f", (u+s)/hz}')
  wait "$launcher" || true
  if [ "$mode" = aot ] && ! tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- '-XX:AOTCache='; then
    echo "$part: started without its cache (recorded? see $ROOT/*/target/startup)" >&2; exit 1
  fi
  printf '%-8s %-10s ready %6.2f s  cpu %5.2f s  rss %4d MiB  load %s\n' "$part" "$label" \
    "$(awk -v a="$now" -v b="$start" 'BEGIN{print a-b}')" "$cpu" "$((rss / 1024))" "$(cut -d' ' -f1-3 /proc/loadavg)"
}


# a part still on its recording start: the launcher's stop writes its cache (this script's own stop would not keep it)
finish_recordings() { # part...
  local part
  for part in "$@"; do
    [ ! -f "$ROOT/.codetether/pids/$part.training" ] || "$ROOT/codetether" restart "$part" >/dev/null
  done
}
