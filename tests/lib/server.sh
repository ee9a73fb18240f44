# Shell helpers for the scripts that start a test server of their own (tests/soak, tests/ingest-benchmark).
# Source it: . "$root/tests/lib/server.sh"

# wait_for_line LOG PREFIX PID [SECONDS]
# Waits until the server's LOG has a line starting with "PREFIX " (its ready line) and prints the rest
# of the first such line. Fails, printing LOG to stderr, when PID exits first or SECONDS (default 60)
# pass.
wait_for_line() {
  local log=$1 prefix=$2 pid=$3 tenths=$(( ${4:-60} * 10 ))
  for _ in $(seq 1 "$tenths"); do
    if grep -q "^$prefix " "$log" 2>/dev/null; then
      sed -n "s/^$prefix //p" "$log" | head -n 1
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}
