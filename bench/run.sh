#!/usr/bin/env bash
# Runs the same loads against netserver and each peer server on loopback and writes one results table
# (bench/results/<run>/results.md), the raw JSON, and a chart (results.png).
#
#   bench/run.sh                            every peer, every load: about 12 minutes
#   ROUNDS=1 DURATION=3 WARMUP=2 bench/run.sh   a quick look
#   PEERS="netserver netty" LOADS="greet echo" bench/run.sh
#
# Peers: textbook (the chapter's serial TCP server + UDP echo, Python), asyncio (Python asyncio),
# netty (plain Netty, bench/peers/NettyPeer.java), netserver (this project, as ./run.sh starts it).
# Loads (bench tool modes): greet (50 connections), echo (64 B ping-pong, 50 connections),
# stream (16 KiB, 8 connections x 8 in flight), udp64 and udp1400 (8 sockets x 16 outstanding),
# hold (10,000 idle greeting connections held 10 s on a freshly started server: RSS per connection), plus
# netserver's start time to listening.
#
# The machine is shared and its speed drifts from minute to minute, so the servers are compared side by
# side: all of them run at once (idle when not loaded), and each load goes to every server in turn,
# ROUNDS times, in a rotating order, each measurement DURATION seconds after ROUND_WARMUP seconds of
# warm-up (the load generator is a fresh JVM each time: after 1 s of warm-up it managed 14,000-17,000
# greetings/s against netserver, after 3 s 19,000-20,000). Before its first round, each server gets WARMUP
# seconds of that load, unmeasured, so the JIT compilers are quiet by then (after 4 s of greet, C2 still
# took a quarter of a core from netserver). The table shows,
# per server and load, the round with the median throughput; every round's result is in rounds/.
# Everything binds 127.0.0.1, is bounded in time, and every server started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
WARMUP=${WARMUP:-8}
ROUNDS=${ROUNDS:-3}
ROUND_WARMUP=${ROUND_WARMUP:-3}
PEERS=${PEERS:-"textbook asyncio netty netserver"}
LOADS=${LOADS:-"greet echo stream udp64 udp1400 hold"}
HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-10000}
HOLD_SECONDS=${HOLD_SECONDS:-10}
RUN=${RUN:-$(date +%Y%m%d-%H%M%S)}
OUT=bench/results/$RUN
JAR=target/netserver.jar

mkdir -p "$OUT/rounds"
[ -f "$JAR" ] && [ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ] || mvn -B -q -DskipTests clean package
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed for the Python peers and the report" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# run.sh makes its class-data sharing archive after a build; make it now, not during a measured start
./run.sh bench --help > /dev/null 2>&1 || true

# Per peer: its process (TCP; for textbook, UDP is a second process), and its ports.
declare -A PID UDP_PID GREET_PORT ECHO_PORT UDP_PORT

stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  for peer in "${!PID[@]}"; do stop_pid "${PID[$peer]}"; done
  for peer in "${!UDP_PID[@]}"; do stop_pid "${UDP_PID[$peer]}"; done
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until log $2 has $3 lines matching $4 (READY lines of a peer, "is running" of netserver).
wait_ready() {
  local pid=$1 log=$2 count=$3 pattern=$4
  for _ in $(seq 300); do
    [ "$(grep -c -E "$pattern" "$log" 2>/dev/null || true)" -ge "$count" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$log"; return 1; }
    sleep 0.05
  done
  echo "server not ready after 15 s:"; cat "$log"; return 1
}

# CPU seconds (user + system) a process has used so far, and its RSS; 0 once it has exited (the textbook
# server dies of a client's reset, by design).
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}
rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

start_textbook_udp() {
  python3 bench/peers/textbook_udp_echo.py --port "${UDP_PORT[textbook]}" --quiet > "$OUT/textbook-udp.log" 2>&1 &
  UDP_PID[textbook]=$!
  wait_ready "${UDP_PID[textbook]}" "$OUT/textbook-udp.log" 1 '^READY'
}

start_peer() {
  local peer=$1 log=$OUT/$peer.log t0 t1
  [ -n "${GREET_PORT[$peer]:-}" ] || {
    GREET_PORT[$peer]=$(free_port); ECHO_PORT[$peer]=$(free_port); UDP_PORT[$peer]=$(free_port)
  }
  t0=$(date +%s%N)
  case $peer in
    textbook)
      # the textbook's TCP server; its UDP echo is another program (start_textbook_udp)
      python3 bench/peers/textbook_server.py --port "${GREET_PORT[$peer]}" --quiet > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 1 '^READY' ;;
    asyncio)
      python3 bench/peers/asyncio_server.py --greet-port "${GREET_PORT[$peer]}" --echo-port "${ECHO_PORT[$peer]}" \
        --udp-port "${UDP_PORT[$peer]}" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 '^READY' ;;
    netty)
      java -cp "$JAR" bench/peers/NettyPeer.java --greet-port "${GREET_PORT[$peer]}" --echo-port "${ECHO_PORT[$peer]}" \
        --udp-port "${UDP_PORT[$peer]}" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 '^READY' ;;
    netserver)
      cat > "$OUT/netserver.json" <<JSON
{ "node": { "name": "bench" }, "transport": "${NETSERVER_TRANSPORT:-auto}",
  "tcp": [ { "name": "greeter", "protocol": "greeting", "host": "127.0.0.1", "port": ${GREET_PORT[$peer]}, "backlog": 4096 },
           { "name": "echo", "protocol": "echo", "host": "127.0.0.1", "port": ${ECHO_PORT[$peer]} } ],
  "udp": [ { "name": "udp-echo", "protocol": "echo", "host": "127.0.0.1", "port": ${UDP_PORT[$peer]}, "blockedSourcePorts": "" } ],
  "stats": { "logIntervalSeconds": 0 } }
JSON
      # as the README starts it: run.sh, with its class-data sharing archive
      ./run.sh -conf "$OUT/netserver.json" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 'server is running on'
      t1=$(date +%s%N)
      echo "{\"label\":\"netserver\",\"mode\":\"start\",\"startMillis\":$(( (t1 - t0) / 1000000 ))}" > "$OUT/netserver-start.json" ;;
  esac
}

# The bench arguments of a load against a peer; nothing when the peer doesn't serve that load.
load_args() {
  local peer=$1 load=$2
  case $load in
    greet) echo "greet --port ${GREET_PORT[$peer]} -c 50" ;;
    echo) [ "$peer" = textbook ] || echo "echo --port ${ECHO_PORT[$peer]} -c 50 -s 64" ;;
    stream) [ "$peer" = textbook ] || echo "stream --port ${ECHO_PORT[$peer]} -c 8 -s 16384 -w 8" ;;
    udp64|udp1400) echo "udp --port ${UDP_PORT[$peer]} -c 8 -s ${load#udp} -w 16" ;;
  esac
}

# The process serving a load for a peer.
server_pid() {
  local peer=$1 load=$2
  if [ "$peer" = textbook ] && [ "${load#udp}" != "$load" ]; then echo "${UDP_PID[textbook]}"; else echo "${PID[$peer]}"; fi
}

# Restarts a peer's process that died during a load, keeping its log.
revive() {
  local peer=$1 load=$2
  if [ "$peer" = textbook ] && [ "${load#udp}" != "$load" ]; then
    kill -0 "${UDP_PID[textbook]}" 2>/dev/null || start_textbook_udp
  elif ! kill -0 "${PID[$peer]}" 2>/dev/null; then
    cp "$OUT/$peer.log" "$OUT/$peer-died-in-$load.log" 2>/dev/null || true
    echo "  $peer died during $load (its log: $OUT/$peer-died-in-$load.log); restarting it"
    start_peer "$peer"
  fi
}

# One measurement: bench $load against $peer for $2 seconds after $3 of warm-up, into JSON file $4 (or none).
measure() {
  local peer=$1 load=$2 duration=$3 warmup=$4 json=$5 pid cpu0 cpu1 rss rc died=false
  local -a args
  read -r -a args <<< "$(load_args "$peer" "$load")"
  pid=$(server_pid "$peer" "$load")
  cpu0=$(cpu_seconds "$pid")
  set +e
  if [ -z "$json" ]; then
    java -jar "$JAR" bench "${args[@]}" --label "$peer" -d "$duration" --warmup "$warmup" -q > /dev/null 2>&1
    set -e
    revive "$peer" "$load"
    return
  fi
  java -jar "$JAR" bench "${args[@]}" --label "$peer" -d "$duration" --warmup "$warmup" -q --json "$json" > "${json%.json}.txt" 2>&1
  rc=$?
  set -e
  cpu1=$(cpu_seconds "$pid")
  rss=$(rss_kib "$pid")
  kill -0 "$pid" 2>/dev/null || died=true
  [ -f "$json" ] || echo "{\"label\":\"$peer\",\"mode\":\"${args[0]}\",\"failed\":true}" > "$json"
  python3 - "$json" "$load" "$cpu0" "$cpu1" "$rss" "$rc" "$duration" "$warmup" "$died" <<'PY'
import json, sys
path, load, cpu0, cpu1, rss, rc, duration, warmup, died = sys.argv[1:]
r = json.load(open(path))
r["load"] = load
if died == "true":
    r["serverDied"] = True
else:
    # server CPU over warm-up + measurement, as cores busy during that time
    r["serverCpuCores"] = round((float(cpu1) - float(cpu0)) / (float(duration) + float(warmup)), 2)
    r["serverRssKiB"] = int(rss)
r["exitCode"] = int(rc)
json.dump(r, open(path, "w"), indent=2)
PY
  revive "$peer" "$load"
}

# Of a peer's rounds for a load, keeps the one with the median throughput as $OUT/$peer-$load.json, with
# every round's throughput in "roundThroughputs".
pick_median() {
  local peer=$1 load=$2
  python3 - "$OUT/$peer-$load.json" "$OUT"/rounds/"$peer-$load"-r*.json <<'PY'
import json, shutil, sys
out, rounds = sys.argv[1], sys.argv[2:]
results = [(json.load(open(p)), p) for p in rounds]
results.sort(key=lambda rp: rp[0].get("throughputPerSecond", 0))
median, path = results[(len(results) - 1) // 2]  # of an even number, the lower of the middle two
median["roundThroughputs"] = [round(r.get("throughputPerSecond", 0)) for r, _ in results]
json.dump(median, open(out, "w"), indent=2)
shutil.copy(path.replace(".json", ".txt"), out.replace(".json", ".txt"))
PY
}

hold() {
  local peer=$1 json=$OUT/$peer-hold.json before after pid
  pid=${PID[$peer]}
  before=$(rss_kib "$pid")
  set +e
  java -jar "$JAR" bench hold --port "${GREET_PORT[$peer]}" -c "$HOLD_CONNECTIONS" --hold "$HOLD_SECONDS" --label "$peer" -q \
    --json "$json" > "$OUT/$peer-hold.txt" 2>&1 &
  local bench_pid=$!
  # sample the server's RSS while the connections are held (half-way through the hold)
  sleep $(( HOLD_SECONDS / 2 + 4 ))
  after=$(rss_kib "$pid")
  wait $bench_pid
  local rc=$?
  set -e
  [ -f "$json" ] || echo "{\"label\":\"$peer\",\"mode\":\"hold\",\"failed\":true}" > "$json"
  python3 - "$json" "$before" "$after" "$rc" <<'PY'
import json, sys
path, before, after, rc = sys.argv[1:]
r = json.load(open(path))
r["load"] = "hold"
held = max(int(r.get("held", 0)), 1)
r["serverRssKiB"] = int(after)
r["serverRssBeforeKiB"] = int(before)
r["serverKiBPerConnection"] = round((int(after) - int(before)) / held, 2)
r["exitCode"] = int(rc)
json.dump(r, open(path, "w"), indent=2)
PY
  echo "  $peer hold: $(grep -E -m1 'held' "$OUT/$peer-hold.txt" || echo "see $OUT/$peer-hold.txt")"
}

read -r -a peers <<< "$PEERS"
for peer in "${peers[@]}"; do
  start_peer "$peer"
  [ "$peer" != textbook ] || start_textbook_udp
done
echo "started: ${peers[*]}"

for load in $LOADS; do
  [ "$load" != hold ] || continue
  echo "== $load"
  serving=()
  for peer in "${peers[@]}"; do
    [ -z "$(load_args "$peer" "$load")" ] || serving+=("$peer")
  done
  for peer in "${serving[@]}"; do
    measure "$peer" "$load" "$WARMUP" 0 ""
  done
  for round in $(seq "$ROUNDS"); do
    n=${#serving[@]}
    for i in $(seq 0 $(( n - 1 ))); do
      peer=${serving[$(( (i + round - 1) % n ))]}
      measure "$peer" "$load" "$DURATION" "$ROUND_WARMUP" "$OUT/rounds/$peer-$load-r$round.json"
    done
  done
  for peer in "${serving[@]}"; do
    pick_median "$peer" "$load"
    echo "  $peer: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("roundThroughputs"), "per second; p99", r.get("latencyMicros", {}).get("p99"), "us", "(server died)" if r.get("serverDied") else "")' "$OUT/$peer-$load.json")"
  done
done

if [[ " $LOADS " == *" hold "* ]]; then
  echo "== hold"
  for peer in "${peers[@]}"; do
    [ "$peer" != textbook ] || continue
    # on a fresh server process, so its RSS growth is what the idle connections cost
    stop_pid "${PID[$peer]}"
    start_peer "$peer"
    hold "$peer"
  done
fi

cleanup
python3 bench/report.py "$OUT" > "$OUT/results.md"
# shellcheck disable=SC2046 # one argument per result file
java -jar "$JAR" bench chart --out "$OUT/results.png" --title "netserver and peers, loopback, $(nproc) cores" \
  $(ls "$OUT"/*-*.json | grep -v -e "-start.json$") > /dev/null 2>&1 || echo "bench/run.sh: the chart could not be drawn" >&2
cat "$OUT/results.md"
echo
echo "results: $OUT/results.md, $OUT/results.png, raw JSON in $OUT (every round in $OUT/rounds)"
