#!/usr/bin/env bash
# Runs the same loads against netserver and each peer server in turn, on loopback, and writes one
# results table (bench/results/<run>/results.md), the raw JSON, and a chart (results.png).
#
#   bench/run.sh                      every peer, every load, 10 s each after 8 s of warm-up (long enough
#                                     for the JVMs' JIT compilers to go quiet: after 4 s, C2 still took a
#                                     quarter of a core from netserver under greet)
#   DURATION=5 WARMUP=1 bench/run.sh  shorter
#   PEERS="netserver netty" bench/run.sh
#   LOADS="greet echo" bench/run.sh
#
# Peers: textbook (the chapter's serial TCP server + UDP echo, Python), asyncio (Python asyncio),
# netty (plain Netty, bench/peers/NettyPeer.java), netserver (this project, transport auto).
# Loads (bench tool modes): greet (50 connections), echo (64 B ping-pong, 50 connections),
# stream (16 KiB, 8 connections x 8 in flight), udp64 and udp1400 (8 sockets x 16 outstanding),
# hold (10,000 idle greeting connections held 10 s: server RSS per connection), plus netserver's start
# time to listening.
# Everything binds 127.0.0.1, is bounded in time, and every server started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-8}
PEERS=${PEERS:-"textbook asyncio netty netserver"}
LOADS=${LOADS:-"greet echo stream udp64 udp1400 hold"}
HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-10000}
RUN=${RUN:-$(date +%Y%m%d-%H%M%S)}
OUT=bench/results/$RUN
JAR=target/netserver.jar

mkdir -p "$OUT"
[ -f "$JAR" ] && [ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ] || mvn -B -q -DskipTests clean package
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed for the Python peers and the report" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until the server's log has $2 lines matching $3 (READY lines of a peer, "is running" of netserver).
wait_ready() {
  local log=$1 count=$2 pattern=$3
  for _ in $(seq 300); do
    [ "$(grep -c -E "$pattern" "$log" 2>/dev/null || true)" -ge "$count" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:"; cat "$log"; return 1; }
    sleep 0.05
  done
  echo "server not ready after 15 s:"; cat "$log"; return 1
}

# CPU seconds (user + system) the server process has used so far.
# Both print 0 once the server has exited (the textbook server dies of a client's reset, by design).
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0
}
rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0
}

GREET_PORT=0 ECHO_PORT=0 UDP_PORT=0

start_peer() {
  local peer=$1 log=$OUT/$peer.log
  GREET_PORT=$(free_port) ECHO_PORT=$(free_port) UDP_PORT=$(free_port)
  local t0 t1
  t0=$(date +%s%N)
  case $peer in
    textbook)
      # The textbook's two programs are separate processes; the TCP one is the server measured for TCP
      # loads, the UDP one for UDP loads (started by start_textbook_udp).
      python3 bench/peers/textbook_server.py --port "$GREET_PORT" --quiet > "$log" 2>&1 &
      SERVER_PID=$!
      wait_ready "$log" 1 '^READY' ;;
    asyncio)
      python3 bench/peers/asyncio_server.py --greet-port "$GREET_PORT" --echo-port "$ECHO_PORT" --udp-port "$UDP_PORT" > "$log" 2>&1 &
      SERVER_PID=$!
      wait_ready "$log" 3 '^READY' ;;
    netty)
      java -cp "$JAR" bench/peers/NettyPeer.java --greet-port "$GREET_PORT" --echo-port "$ECHO_PORT" --udp-port "$UDP_PORT" > "$log" 2>&1 &
      SERVER_PID=$!
      wait_ready "$log" 3 '^READY' ;;
    netserver)
      cat > "$OUT/netserver.json" <<JSON
{ "node": { "name": "bench" }, "transport": "${NETSERVER_TRANSPORT:-auto}",
  "tcp": [ { "name": "greeter", "protocol": "greeting", "host": "127.0.0.1", "port": $GREET_PORT, "backlog": 4096 },
           { "name": "echo", "protocol": "echo", "host": "127.0.0.1", "port": $ECHO_PORT } ],
  "udp": [ { "name": "udp-echo", "protocol": "echo", "host": "127.0.0.1", "port": $UDP_PORT, "blockedSourcePorts": "" } ],
  "stats": { "logIntervalSeconds": 0 } }
JSON
      # as the README starts it: run.sh (with its class-data sharing archive, made before the first peer)
      ./run.sh -conf "$OUT/netserver.json" > "$log" 2>&1 &
      SERVER_PID=$!
      wait_ready "$log" 3 'server is running on'
      t1=$(date +%s%N)
      echo "{\"label\":\"netserver\",\"mode\":\"start\",\"startMillis\":$(( (t1 - t0) / 1000000 ))}" > "$OUT/netserver-start.json" ;;
  esac
}

bench() {
  local peer=$1 load=$2; shift 2
  local json=$OUT/$peer-$load.json cpu0 cpu1 rss
  cpu0=$(cpu_seconds)
  set +e
  java -jar "$JAR" bench "$@" --label "$peer" -d "$DURATION" --warmup "$WARMUP" -q --json "$json" > "$OUT/$peer-$load.txt" 2>&1
  local rc=$?
  set -e
  cpu1=$(cpu_seconds)
  rss=$(rss_kib)
  local died=false
  kill -0 "$SERVER_PID" 2>/dev/null || died=true
  [ -f "$json" ] || echo "{\"label\":\"$peer\",\"mode\":\"$1\",\"failed\":true}" > "$json"
  python3 - "$json" "$load" "$cpu0" "$cpu1" "$rss" "$rc" "$DURATION" "$WARMUP" "$died" <<'PY'
import json, sys
path, load, cpu0, cpu1, rss, rc, duration, warmup, died = sys.argv[1:]
r = json.load(open(path))
r["load"] = load
# server CPU over warm-up + measurement, as cores busy during that time
if died == "true":
    r["serverDied"] = True
else:
    r["serverCpuCores"] = round((float(cpu1) - float(cpu0)) / (float(duration) + float(warmup)), 2)
    r["serverRssKiB"] = int(rss)
r["exitCode"] = int(rc)
json.dump(r, open(path, "w"), indent=2)
PY
  if [ "$died" = true ]; then
    cp "$OUT/$peer.log" "$OUT/$peer-died-in-$load.log" 2>/dev/null || true
    echo "  $peer died during $load (its log: $OUT/$peer-died-in-$load.log); restarting it"
    SERVER_PID=""
    start_peer "$peer"
  fi
  echo "  $peer $load: $(tail -n +1 "$OUT/$peer-$load.txt" | grep -E -m1 'throughput|exchanges' || echo 'see '"$OUT/$peer-$load.txt")"
}

hold() {
  local peer=$1 json=$OUT/$peer-hold.json before after
  before=$(rss_kib)
  set +e
  java -jar "$JAR" bench hold --port "$GREET_PORT" -c "$HOLD_CONNECTIONS" --hold "$DURATION" --label "$peer" -q --json "$json" \
    > "$OUT/$peer-hold.txt" 2>&1 &
  local bench_pid=$!
  # sample the server's RSS while the connections are held (half-way through the hold)
  sleep $(( DURATION / 2 + 2 ))
  after=$(rss_kib)
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

# run.sh makes its class-data sharing archive after a build; make it now, not during a measured start
./run.sh bench --help > /dev/null 2>&1 || true

for peer in $PEERS; do
  echo "== $peer"
  start_peer "$peer"
  for load in $LOADS; do
    case $load in
      greet) bench "$peer" greet greet --port "$GREET_PORT" -c 50 ;;
      echo) [ "$peer" = textbook ] || bench "$peer" echo echo --port "$ECHO_PORT" -c 50 -s 64 ;;
      stream) [ "$peer" = textbook ] || bench "$peer" stream stream --port "$ECHO_PORT" -c 8 -s 16384 -w 8 ;;
      udp64|udp1400)
        size=${load#udp}
        if [ "$peer" = textbook ]; then
          # the textbook's UDP echo is its own program: swap servers for the UDP loads
          cleanup
          python3 bench/peers/textbook_udp_echo.py --port "$UDP_PORT" --quiet > "$OUT/textbook-udp.log" 2>&1 &
          SERVER_PID=$!
          wait_ready "$OUT/textbook-udp.log" 1 '^READY'
        fi
        bench "$peer" "$load" udp --port "$UDP_PORT" -c 8 -s "$size" -w 16
        if [ "$peer" = textbook ]; then
          cleanup
          start_peer textbook
        fi ;;
      hold)
        # on a fresh server process, so its RSS growth is what the idle connections cost
        if [ "$peer" != textbook ]; then
          cleanup
          start_peer "$peer"
          hold "$peer"
        fi ;;
    esac
  done
  cleanup
done

python3 bench/report.py "$OUT" > "$OUT/results.md"
java -jar "$JAR" bench chart --out "$OUT/results.png" --title "netserver and peers, loopback, $(nproc) cores" $(ls "$OUT"/*-*.json | grep -v -e "-start.json$") \
  > /dev/null 2>&1 || echo "bench/run.sh: the chart could not be drawn" >&2
cat "$OUT/results.md"
echo
echo "results: $OUT/results.md, $OUT/results.png, raw JSON in $OUT"
