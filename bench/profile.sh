#!/usr/bin/env bash
# Profiles netserver under one load with JDK Flight Recorder and prints where the time and the
# allocations go (top frames), so the hot path can be checked for Strings, copies and extra flushes.
#
#   bench/profile.sh greet -c 50          any `bench` mode and options (port chosen here)
#   DURATION=15 bench/profile.sh udp -c 8 -s 64 -w 16
#
# netserver runs on the configuration bench/run.sh gives it (harness.py netserver-conf; the changes are in
# run.json). Writes bench/results/profile-<mode>-<time>/{netserver.jfr,top.txt}. Loopback only, bounded
# in time.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?usage: bench/profile.sh MODE [bench options]}
shift
DURATION=${DURATION:-10}
OUT=bench/results/profile-$MODE-$(date +%H%M%S)
JAR=target/netserver.jar
mkdir -p "$OUT"
[ -f "$JAR" ] && [ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ] || mvn -B -q -DskipTests clean package

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TCP=$(port) ECHO=$(port) UDP=$(port)
# the configuration bench/run.sh gives netserver (conf/config.json on loopback, these ports, its backlog)
python3 bench/harness.py netserver-conf "${NETSERVER_CONF:-conf/config.json}" "$OUT/netserver.json" "$OUT/run.json" \
  "$TCP" "$ECHO" "$UDP" "${BACKLOG:-4096}" "${NETSERVER_TRANSPORT:-}" > /dev/null
case $MODE in greet|hold) P=$TCP ;; echo|stream) P=$ECHO ;; udp) P=$UDP ;; *) echo "unknown mode $MODE" >&2; exit 2 ;; esac

java -XX:StartFlightRecording=filename="$OUT/netserver.jfr",settings=profile,dumponexit=true \
  -jar "$JAR" -conf "$OUT/netserver.json" > "$OUT/netserver.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do [ "$(grep -c 'server is running' "$OUT/netserver.log")" -ge 3 ] && break; sleep 0.05; done
java -jar "$JAR" bench "$MODE" --port "$P" -d "$DURATION" --warmup 2 -q "$@" | tee "$OUT/bench.txt"
kill -TERM $PID; wait $PID || true
trap - EXIT

python3 - "$OUT/netserver.jfr" > "$OUT/top.txt" <<'PY'
import collections, subprocess, sys
def top(event, key):
    out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "3", sys.argv[1]],
                         capture_output=True, text=True).stdout
    counts, frame, weight = collections.Counter(), None, 1
    for line in out.splitlines():
        s = line.strip()
        if s.startswith(key) and "=" in s:
            try: weight = int(s.split("=")[1].split()[0].replace(",", ""))
            except ValueError: weight = 1
        if s.startswith("stackTrace = ["):
            frame = "first"
        elif frame == "first" and s and s != "...":
            counts[s.split(" line:")[0]] += weight if key else 1
            frame = None
    return counts
for title, event, key in [("CPU samples (top frames)", "jdk.ExecutionSample", ""),
                          ("allocations (top frames, by sampled weight)", "jdk.ObjectAllocationSample", "weight")]:
    counts = top(event, key)
    total = sum(counts.values()) or 1
    print(f"== {title}: {total} in all")
    for frame, n in counts.most_common(25):
        print(f"{100.0 * n / total:5.1f}%  {frame}")
    print()
PY
cat "$OUT/top.txt"
echo "recording: $OUT/netserver.jfr (open with JDK Mission Control, or: jfr print --events jdk.ExecutionSample ...)"
