#!/usr/bin/env bash
# Runs the same loads against netserver and each peer server on loopback and writes one results table
# (results.md), the raw JSON of every round, the server samples behind it, and a chart (results.png).
#
#   bench/run.sh                                       every peer, every load, 4 rounds: about 16 minutes
#   ROUNDS=1 DURATION=2 WARMUP=2 ROUND_WARMUP=1 LOADS="greet udp64" bench/run.sh   a quick look
#   PEERS="netserver netty" LOADS="greet echo" bench/run.sh
#   OUT=docs/benchmarks/run-D bench/run.sh             a run to publish, raw files and all
#   bench/run.sh tls                                   the TLS series (below); SMOKE=1 bench/run.sh tls: a short check
#
# Peers: textbook (the chapter's serial TCP server + UDP echo, Python), asyncio (Python asyncio),
# netty (plain Netty, bench/peers/NettyPeer.java, compiled), mmsg (UDP only: the C epoll echo reading and writing
# 64 datagrams per recvmmsg/sendmmsg, bench/peers/mmsg_udp_echo.c, built by gcc), netserver (this project, as ./run.sh starts
# it, on conf/config.json changed only where a benchmark must: see harness.py netserver-conf), netserver-vertx
# (the same, as a second process, with every listener on "engine": "vertx": Vert.x's NetServer).
# Loads (bench tool modes): greet (50 connections), echo (64 B ping-pong, 50 connections),
# stream (16 KiB, 8 connections x 8 in flight), udp64 and udp1400 (8 sockets x 16 outstanding),
# hold (HOLD_CONNECTIONS idle greeting connections held HOLD_SECONDS on a freshly started server: RSS per
# connection), plus netserver's start time to listening.
#
# Every server gets the same knobs: a listen backlog of BACKLOG (default 4096, this machine's
# net.core.somaxconn; the kernel caps it there), and the UDP echo's largest datagram, maxDatagramBytes
# from netserver's configuration, which also sizes the Netty peer's receive slots.
#
# The machine is shared and its speed drifts from minute to minute, so the servers are compared side by
# side: all of them run at once (idle when not loaded), and each load goes to every server in turn,
# ROUNDS times, each measurement DURATION seconds after ROUND_WARMUP seconds of warm-up (the load
# generator is a fresh JVM each time: after 1 s of warm-up it managed 14,000-17,000 greetings/s against
# netserver, after 3 s 19,000-20,000). The order of the servers changes from round to round by a
# Williams design (harness.py order): over the rounds each server runs in each position and right after
# each other server equally often (with 4 servers, exactly so over 4 rounds), so none always follows the
# same one. Before its first round, each server gets WARMUP seconds of that load, unmeasured, so the JIT
# compilers are quiet by then (after 4 s of greet, C2 still took a quarter of a core from netserver).
# The server's CPU time and RSS are sampled from /proc every 0.1 s; the table shows, per server and
# load, each metric's own median over the rounds (throughput, p50, p99, server CPU per operation) with
# its lowest and highest round.
# Everything binds 127.0.0.1, is bounded in time, and every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

# The series: the default one (every load at one concurrency), or `scaling` (bench/run.sh scaling, or
# SERIES=scaling): the same interleaved rounds at several concurrencies, see the comment below.
SERIES=${SERIES:-${1:-default}}
case $SERIES in
  default) ;;
  scaling)
    # How the cost grows with the number of clients: greet and echo at CONCURRENCY connections, UDP echo (64 B,
    # 16 outstanding per socket) from UDP_SOCKETS sockets, hold at HOLDS idle connections, each point a load of
    # its own (greet-c500, udp-s8, hold-c50000), given to every server in the same rotating rounds. The JIT
    # warm-up (WARMUP) comes before the first point of each mode only; every round still has ROUND_WARMUP.
    # POINTS="greet-c2000 hold-c50000" runs only those points. Duration with the defaults (2 rounds, 4
    # servers): about 17 minutes; each more round about 6 more. SMOKE=1: tiny counts, one round, 1 s
    # measurements, to check that the series runs end to end (about 2 minutes).
    if [ "${SMOKE:-0}" = 1 ]; then
      : "${CONCURRENCY:=5 20}" "${UDP_SOCKETS:=1 4}" "${HOLDS:=300}" "${SOURCE_SPREAD:=100}"
      : "${ROUNDS:=1}" "${DURATION:=2}" "${ROUND_WARMUP:=0}" "${WARMUP:=1}" "${HOLD_SECONDS:=4}"
    fi
    : "${CONCURRENCY:=50 500 2000 5000}" "${UDP_SOCKETS:=1 8 64}" "${HOLDS:=10000 50000}"
    : "${ROUNDS:=2}" "${DURATION:=5}" "${ROUND_WARMUP:=2}" "${WARMUP:=5}"
    : "${PEERS:=asyncio netty mmsg netserver netserver-vertx}"
    if [ -z "${LOADS:-}" ]; then
      LOADS=${POINTS:-$(for n in $CONCURRENCY; do printf 'greet-c%s ' "$n"; done
        for n in $CONCURRENCY; do printf 'echo-c%s ' "$n"; done
        for n in $UDP_SOCKETS; do printf 'udp-s%s ' "$n"; done
        for n in $HOLDS; do printf 'hold-c%s ' "$n"; done)}
    fi ;;
  tls)
    # TLS termination, side by side: netserver terminating TLS itself with the JDK's provider (netserver-jdk) and
    # with OpenSSL through netty-tcnative (netserver-openssl), each on conf/config.json plus a tls object on its
    # TCP listeners, and HAProxy (Debian's package, `haproxy -v` recorded in run.json) terminating TLS in front of
    # a second netserver in plain TCP on the shipped configuration (peer haproxy; its CPU and RSS are both
    # processes'). Loads: tls-greet (bench greet --tls, 50 connections: one full handshake per exchange, so
    # handshakes/s) and tls-stream (bench stream --tls, 16 KiB x 8 x 8: MB/s). One certificate for all, made
    # now by openssl (TLS_KEY: ec, the default, a P-256 ECDSA key, or rsa, 2048 bits) in a temporary
    # directory removed on exit: no private key lands in OUT. SMOKE=1: one round of 2 s, to check that the
    # series runs end to end (about 1 minute).
    if [ "${SMOKE:-0}" = 1 ]; then
      : "${ROUNDS:=1}" "${DURATION:=2}" "${ROUND_WARMUP:=1}" "${WARMUP:=2}"
    fi
    : "${PEERS:=netserver-jdk netserver-openssl haproxy}" "${LOADS:=tls-greet tls-stream}" ;;
  *) echo "bench/run.sh: unknown series \"$SERIES\" (default, scaling or tls)" >&2; exit 2 ;;
esac
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-8}
ROUNDS=${ROUNDS:-4}
ROUND_WARMUP=${ROUND_WARMUP:-3}
PEERS=${PEERS:-"textbook asyncio netty mmsg netserver netserver-vertx"}
LOADS=${LOADS:-"greet echo stream udp64 udp1400 hold"}
HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-10000}
HOLD_SECONDS=${HOLD_SECONDS:-10}
# One source address has one ephemeral port range towards a server port (net.ipv4.ip_local_port_range,
# 28,232 ports here): above this many connections the load generator spreads them over 127.0.0.1..N.
SOURCE_SPREAD=${SOURCE_SPREAD:-20000}
BACKLOG=${BACKLOG:-4096}
NETSERVER_CONF=${NETSERVER_CONF:-conf/config.json}
OUT=${OUT:-bench/results/$(date +%Y%m%d-%H%M%S)}
JAR=target/netserver.jar
HARNESS=bench/harness.py

command -v python3 >/dev/null || { echo "bench/run.sh: python3 is needed for the peers, the samples and the report" >&2; exit 1; }
command -v ss >/dev/null || echo "bench/run.sh: ss (iproute2) is missing: the servers' backlogs go unchecked" >&2
if [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
  echo "bench/run.sh: $OUT is not empty; give OUT a new directory" >&2
  exit 1
fi
mkdir -p "$OUT/rounds"
[ -f "$JAR" ] && [ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ] || mvn -B -q -DskipTests clean package
# Descriptors for the servers and the load generator, which inherit the limit: a held connection costs
# each one descriptor. Root may raise the hard limit (here 20000) up to fs.nr_open; anyone else gets
# what the hard limit allows, and bench refuses a -c above it, saying which ulimit to set.
FD_LIMIT=${FD_LIMIT:-200000}
[ -r /proc/sys/fs/nr_open ] && [ "$(cat /proc/sys/fs/nr_open)" -lt "$FD_LIMIT" ] && FD_LIMIT=$(cat /proc/sys/fs/nr_open)
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge "$FD_LIMIT" ] || ulimit -Hn "$FD_LIMIT" 2>/dev/null || true
ulimit -Sn "$(ulimit -Hn)"
# run.sh makes its class-data sharing archive after a build, and the Netty peer is compiled: both now,
# not during a measured start
./run.sh bench --help > /dev/null 2>&1 || true
bench/peers/netty-peer.sh --compile-only
case " $PEERS " in
  *" mmsg "*) bench/peers/mmsg-peer.sh --compile-only || { echo "bench/run.sh: the mmsg peer cannot be built; running without it" >&2; PEERS=${PEERS/mmsg/}; } ;;
esac

RUN_JSON=$OUT/run.json
python3 "$HARNESS" note "$RUN_JSON" settings "$(printf '{"series": "%s", "rounds": %d, "durationSeconds": %d, "roundWarmupSeconds": %d, "warmupSeconds": %d, "holdConnections": %d, "holdSeconds": %d, "cores": %d, "fileDescriptorLimit": "%s", "sourceSpread": %d, "started": "%s"}' \
  "$SERIES" "$ROUNDS" "$DURATION" "$ROUND_WARMUP" "$WARMUP" "$HOLD_CONNECTIONS" "$HOLD_SECONDS" "$(nproc)" "$(ulimit -n)" "$SOURCE_SPREAD" "$(date -u +%FT%TZ)")"
# A hold point needs as many descriptors as connections, in the server and in the load generator. Where
# the hard limit can't be raised (a container without CAP_SYS_RESOURCE: even root gets "Operation not
# permitted"), the point is held at the largest round thousand that fits instead, said here and in run.json.
if [ "$(ulimit -n)" != unlimited ]; then
  fitted=
  for load in $LOADS; do
    n=${load#hold-c}
    if [ "$n" != "$load" ] && [ $((n + 1000)) -gt "$(ulimit -n)" ]; then
      fit=$(( ($(ulimit -n) - 1000) / 1000 * 1000 ))
      echo "bench/run.sh: $load needs more descriptors than the limit of $(ulimit -n), which this process cannot raise; holding $fit connections instead" >&2
      python3 "$HARNESS" note "$RUN_JSON" "holdFitted-$n" "{\"asked\": $n, \"held\": $fit, \"fileDescriptorLimit\": $(ulimit -n)}"
      load=hold-c$fit
    fi
    fitted+="$load "
  done
  LOADS=$fitted
fi

# The peers that speak TLS on their greet and echo ports (and nothing else there).
is_tls_peer() {
  case $1 in netserver-jdk|netserver-openssl|haproxy) return 0 ;; *) return 1 ;; esac
}

# The TLS series' certificate, made now and removed on exit (the trap below), never in OUT.
TLS_DIR=
if [[ " $PEERS " =~ \ (netserver-jdk|netserver-openssl|haproxy)\  ]]; then
  command -v openssl >/dev/null || { echo "bench/run.sh: openssl is needed for the TLS peers' certificate" >&2; exit 1; }
  TLS_DIR=$(mktemp -d)
  case ${TLS_KEY:-ec} in
    ec) key_args=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
    rsa) key_args=(-newkey rsa:2048) ;;
    *) echo "bench/run.sh: TLS_KEY must be ec or rsa (was ${TLS_KEY})" >&2; exit 2 ;;
  esac
  openssl req -x509 "${key_args[@]}" -nodes -days 2 -subj /CN=localhost -keyout "$TLS_DIR/key.pem" \
    -out "$TLS_DIR/cert.pem" 2> "$TLS_DIR/openssl.log"
  cat "$TLS_DIR/cert.pem" "$TLS_DIR/key.pem" > "$TLS_DIR/haproxy.pem"  # HAProxy takes both in one file
  python3 "$HARNESS" note "$RUN_JSON" tls "$(printf '{"key": "%s", "certificate": "self-signed, made for the run by %s", "clientTransport": "bench --tls: the JDK provider, a full handshake per connection, no session resumed"}' \
    "$( [ "${TLS_KEY:-ec}" = ec ] && echo "ECDSA P-256" || echo "RSA 2048")" "$(openssl version)")"
fi
if [[ " $PEERS " == *" haproxy "* ]]; then
  command -v haproxy >/dev/null || { echo "bench/run.sh: the haproxy peer needs HAProxy (apt-get install haproxy)" >&2; exit 1; }
  python3 "$HARNESS" note "$RUN_JSON" haproxy "{\"version\": \"$(haproxy -v | head -1 | sed 's/ - https.*//')\", \"config\": \"haproxy.cfg\", \"threads\": ${HAPROXY_THREADS:-1}}"
fi

# Per peer: its process (TCP; for textbook, UDP is a second process; for haproxy, the netserver behind it is
# BACKEND_PID), and its ports.
declare -A PID UDP_PID GREET_PORT ECHO_PORT UDP_PORT
BACKEND_PID=

stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
SAMPLER=
cleanup() {
  [ -z "$SAMPLER" ] || stop_pid "$SAMPLER"
  for peer in "${!PID[@]}"; do stop_pid "${PID[$peer]}"; done
  for peer in "${!UDP_PID[@]}"; do stop_pid "${UDP_PID[$peer]}"; done
  stop_pid "$BACKEND_PID"
  [ -z "$TLS_DIR" ] || rm -rf "$TLS_DIR"
}
# a signal ends the run (the EXIT trap then stops everything); a trap that only cleaned up would let the
# run go on and revive() restart the servers it had just stopped
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Whether every process of a comma-separated list is alive.
alive() {
  local p
  for p in ${1//,/ }; do kill -0 "$p" 2>/dev/null || return 1; done
}

# Waits until something accepts connections on 127.0.0.1:$3 (a server that prints no READY line: HAProxy).
wait_listening() {
  local pid=$1 log=$2 port=$3
  for _ in $(seq 300); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$port" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$log"; return 1; }
    sleep 0.05
  done
  echo "server not listening on $port after 15 s:"; cat "$log"; return 1
}

# Waits until log $2 has $3 lines matching $4 (READY lines of a peer, "is running" of netserver).
wait_ready() {
  local pid=$1 log=$2 count=$3 pattern=$4
  local seen
  for _ in $(seq 300); do
    seen=$(grep -c -E "$pattern" "$log" 2>/dev/null) || true  # nothing yet when the log is not there
    [ "${seen:-0}" -ge "$count" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$log"; return 1; }
    sleep 0.05
  done
  echo "server not ready after 15 s:"; cat "$log"; return 1
}

# Samples process $1's CPU time and RSS into file $2 in the background (the sampler's pid in SAMPLER);
# stop_sampler ends it.
start_sampler() {
  python3 "$HARNESS" sample "$1" "$2" &
  SAMPLER=$!
}
stop_sampler() {
  stop_pid "$SAMPLER"
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLER=
}

start_textbook_udp() {
  python3 bench/peers/textbook_udp_echo.py --port "${UDP_PORT[textbook]}" --quiet > "$OUT/textbook-udp.log" 2>&1 &
  UDP_PID[textbook]=$!
  wait_ready "${UDP_PID[textbook]}" "$OUT/textbook-udp.log" 1 '^READY'
}

MAX_DATAGRAM=
start_peer() {
  local peer=$1 log=$OUT/$peer.log t0 t1
  [ -n "${GREET_PORT[$peer]:-}" ] || {
    GREET_PORT[$peer]=$(free_port); ECHO_PORT[$peer]=$(free_port); UDP_PORT[$peer]=$(free_port)
  }
  t0=$(date +%s%N)
  case $peer in
    textbook)
      # the textbook's TCP server (its UDP echo is another program, start_textbook_udp); its listen(5)
      # becomes the common backlog, which the kernel also applies to the half-open queue
      python3 bench/peers/textbook_server.py --port "${GREET_PORT[$peer]}" --backlog "$BACKLOG" --quiet > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 1 '^READY' ;;
    asyncio)
      python3 bench/peers/asyncio_server.py --greet-port "${GREET_PORT[$peer]}" --echo-port "${ECHO_PORT[$peer]}" \
        --udp-port "${UDP_PORT[$peer]}" --backlog "$BACKLOG" --max-datagram-bytes "$MAX_DATAGRAM" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 '^READY' ;;
    netty)
      bench/peers/netty-peer.sh --greet-port "${GREET_PORT[$peer]}" --echo-port "${ECHO_PORT[$peer]}" \
        --udp-port "${UDP_PORT[$peer]}" --backlog "$BACKLOG" --max-datagram-bytes "$MAX_DATAGRAM" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 '^READY' ;;
    mmsg)
      bench/peers/mmsg-peer.sh --udp-port "${UDP_PORT[$peer]}" --max-datagram-bytes "$MAX_DATAGRAM" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 1 '^READY' ;;
    netserver-vertx|netserver-jdk|netserver-openssl)
      ./run.sh -conf "$OUT/$peer.json" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 'server is running on' ;;
    haproxy)
      # the netserver behind it first (plain TCP, the shipped configuration), then HAProxy in the foreground
      stop_pid "$BACKEND_PID"
      ./run.sh -conf "$OUT/haproxy-backend.json" > "$OUT/haproxy-backend.log" 2>&1 &
      BACKEND_PID=$!
      wait_ready "$BACKEND_PID" "$OUT/haproxy-backend.log" 3 'server is running on'
      haproxy -db -f "$OUT/haproxy.cfg" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_listening "${PID[$peer]}" "$log" "${GREET_PORT[$peer]}"
      wait_listening "${PID[$peer]}" "$log" "${ECHO_PORT[$peer]}" ;;
    netserver)
      # as the README starts it: run.sh, with its class-data sharing archive
      ./run.sh -conf "$OUT/netserver.json" > "$log" 2>&1 &
      PID[$peer]=$!
      wait_ready "${PID[$peer]}" "$log" 3 'server is running on'
      t1=$(date +%s%N)
      # the first start only: later ones (a restart for hold) come after minutes of load
      [ -f "$OUT/netserver-start.json" ] ||
        echo "{\"label\":\"netserver\",\"mode\":\"start\",\"startMillis\":$(( (t1 - t0) / 1000000 ))}" > "$OUT/netserver-start.json" ;;
  esac
}

# --source for N connections: one 127.0.0.x per SOURCE_SPREAD of them, none below that.
sources() {
  local n=$1 k
  k=$(( (n + SOURCE_SPREAD - 1) / SOURCE_SPREAD ))
  [ "$k" -le 1 ] || echo "--source 127.0.0.1-$k"
}

# The bench arguments of a load against a peer; nothing when the peer doesn't serve that load.
load_args() {
  local peer=$1 load=$2
  if is_tls_peer "$peer"; then
    case $load in
      tls-greet) echo "greet --tls --port ${GREET_PORT[$peer]} -c 50" ;;
      tls-stream) echo "stream --tls --port ${ECHO_PORT[$peer]} -c 8 -s 16384 -w 8" ;;
    esac
    return
  fi
  if [ "$peer" = mmsg ]; then
    case $load in udp*) ;; *) return ;; esac
  fi
  case $load in
    greet-c*) echo "greet --port ${GREET_PORT[$peer]} -c ${load#greet-c} $(sources "${load#greet-c}")" ;;
    echo-c*) [ "$peer" = textbook ] || echo "echo --port ${ECHO_PORT[$peer]} -c ${load#echo-c} -s 64 $(sources "${load#echo-c}")" ;;
    udp-s*) echo "udp --port ${UDP_PORT[$peer]} -c ${load#udp-s} -s 64 -w 16" ;;
    greet) echo "greet --port ${GREET_PORT[$peer]} -c 50" ;;
    echo) [ "$peer" = textbook ] || echo "echo --port ${ECHO_PORT[$peer]} -c 50 -s 64" ;;
    stream) [ "$peer" = textbook ] || echo "stream --port ${ECHO_PORT[$peer]} -c 8 -s 16384 -w 8" ;;
    udp64|udp1400) echo "udp --port ${UDP_PORT[$peer]} -c 8 -s ${load#udp} -w 16" ;;
  esac
}

# The process serving a load for a peer.
server_pid() {
  local peer=$1 load=$2
  if [ "$peer" = textbook ] && [ "${load#udp}" != "$load" ]; then echo "${UDP_PID[textbook]}"
  elif [ "$peer" = haproxy ]; then echo "${PID[$peer]},$BACKEND_PID"
  else echo "${PID[$peer]}"; fi
}

# Restarts a peer's process that died during a load, keeping its log.
revive() {
  local peer=$1 load=$2
  if [ "$peer" = textbook ] && [ "${load#udp}" != "$load" ]; then
    kill -0 "${UDP_PID[textbook]}" 2>/dev/null || start_textbook_udp
  elif ! alive "$(server_pid "$peer" "$load")"; then
    cp "$OUT/$peer.log" "$OUT/$peer-died-in-$load.log" 2>/dev/null || true
    stop_pid "${PID[$peer]}"  # haproxy: both processes start again
    echo "  $peer died during $load (its log: $OUT/$peer-died-in-$load.log); restarting it"
    start_peer "$peer"
  fi
}

# One measurement: bench $load against $peer for $3 seconds after $4 of warm-up, into JSON file $5 (or
# none: a warm-up), with the server's samples next to it.
measure() {
  local peer=$1 load=$2 duration=$3 warmup=$4 json=$5 pid rc died=false
  local -a args
  read -r -a args <<< "$(load_args "$peer" "$load")"
  if [ -z "$json" ]; then
    java -jar "$JAR" bench "${args[@]}" --label "$peer" -d "$duration" --warmup "$warmup" -q > /dev/null 2>&1 || true
    revive "$peer" "$load"
    return
  fi
  pid=$(server_pid "$peer" "$load")
  start_sampler "$pid" "${json%.json}.samples"
  set +e
  java -jar "$JAR" bench "${args[@]}" --label "$peer" -d "$duration" --warmup "$warmup" -q --json "$json" > "${json%.json}.txt" 2>&1
  rc=$?
  set -e
  stop_sampler
  alive "$pid" || died=true
  [ -f "$json" ] || echo "{\"label\":\"$peer\",\"mode\":\"${args[0]}\",\"failed\":true}" > "$json"
  python3 "$HARNESS" round "$json" "${json%.json}.samples" "$load" "$rc" "$died"
  revive "$peer" "$load"
}

# Idle connections on a freshly started server: its RSS sampled at rest and while they are held. $2: the
# load (hold: HOLD_CONNECTIONS of them; hold-cN: N).
hold() {
  local peer=$1 load=$2 json=$OUT/$1-$2.json rc n=$HOLD_CONNECTIONS
  [ "$load" = hold ] || n=${load#hold-c}
  local -a spread
  read -r -a spread <<< "$(sources "$n")"
  start_sampler "${PID[$peer]}" "$OUT/$peer-$load.samples"
  sleep 2.5  # at rest: harness.py takes the last BASELINE_SECONDS before the load generator's start
  set +e
  java -jar "$JAR" bench hold --port "${GREET_PORT[$peer]}" -c "$n" --hold "$HOLD_SECONDS" --label "$peer" -q \
    "${spread[@]}" --json "$json" > "$OUT/$peer-$load.txt" 2>&1
  rc=$?
  set -e
  stop_sampler
  [ -f "$json" ] || echo "{\"label\":\"$peer\",\"mode\":\"hold\",\"failed\":true}" > "$json"
  python3 "$HARNESS" hold "$json" "$OUT/$peer-$load.samples" "$rc" "$load"
  echo "  $peer hold: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("held"), "held,", r.get("serverKiBPerConnection"), "KiB of RSS each", r.get("serverRssSamples", ""))' "$json")"
}

read -r -a peers <<< "$PEERS"
# the most connections one point holds: harness.py lifts netserver's limits.maxConnections (10,000 by
# default, loopback not exempt) above it, and says so
HOLD_MOST=0
for load in $LOADS; do
  n=${load#*-c}
  [ "$n" = "$load" ] || [ "$n" -le "$HOLD_MOST" ] || HOLD_MOST=$n
done
export HOLD_MOST
somaxconn=$(cat /proc/sys/net/core/somaxconn)
[ "$BACKLOG" -le "$somaxconn" ] ||
  echo "bench/run.sh: BACKLOG=$BACKLOG is above net.core.somaxconn ($somaxconn): the kernel gives every server $somaxconn" >&2
# netserver's configuration, and from it the largest datagram every UDP echo gets (also without netserver)
GREET_PORT[netserver]=$(free_port); ECHO_PORT[netserver]=$(free_port); UDP_PORT[netserver]=$(free_port)
MAX_DATAGRAM=$(python3 "$HARNESS" netserver-conf "$NETSERVER_CONF" "$OUT/netserver.json" "$RUN_JSON" \
  "${GREET_PORT[netserver]}" "${ECHO_PORT[netserver]}" "${UDP_PORT[netserver]}" "$BACKLOG" "${NETSERVER_TRANSPORT:-}")
GREET_PORT[netserver-vertx]=$(free_port); ECHO_PORT[netserver-vertx]=$(free_port); UDP_PORT[netserver-vertx]=$(free_port)
python3 "$HARNESS" netserver-conf "$NETSERVER_CONF" "$OUT/netserver-vertx.json" "$RUN_JSON" "${GREET_PORT[netserver-vertx]}" \
  "${ECHO_PORT[netserver-vertx]}" "${UDP_PORT[netserver-vertx]}" "$BACKLOG" "${NETSERVER_TRANSPORT:-}" vertx > /dev/null
# the TLS series: netserver terminating TLS with each provider, and HAProxy terminating it in front of a plain one
for provider in jdk openssl; do
  peer=netserver-$provider
  [[ " $PEERS " == *" $peer "* ]] || continue
  GREET_PORT[$peer]=$(free_port); ECHO_PORT[$peer]=$(free_port); UDP_PORT[$peer]=$(free_port)
  python3 "$HARNESS" netserver-conf "$NETSERVER_CONF" "$OUT/$peer.json" "$RUN_JSON" "${GREET_PORT[$peer]}" "${ECHO_PORT[$peer]}" \
    "${UDP_PORT[$peer]}" "$BACKLOG" "${NETSERVER_TRANSPORT:-}" "" "label=$peer" "tls=$TLS_DIR/cert.pem:$TLS_DIR/key.pem:$provider" > /dev/null
done
if [[ " $PEERS " == *" haproxy "* ]]; then
  GREET_PORT[haproxy]=$(free_port); ECHO_PORT[haproxy]=$(free_port); UDP_PORT[haproxy]=$(free_port)
  backend_greet=$(free_port); backend_echo=$(free_port)
  python3 "$HARNESS" netserver-conf "$NETSERVER_CONF" "$OUT/haproxy-backend.json" "$RUN_JSON" "$backend_greet" "$backend_echo" \
    "$(free_port)" "$BACKLOG" "${NETSERVER_TRANSPORT:-}" "" "label=haproxy-backend" > /dev/null
  # HAProxy as an operator would put it in front: TLS on its binds, plain TCP to netserver on loopback,
  # HAPROXY_THREADS threads (default 1: each load goes to one listener, which netserver's shipped configuration
  # serves with one instance, one event loop; HAProxy's own default is one per core), the same backlog as every
  # server, as many connections as the descriptor limit allows (HAProxy needs two per proxied connection)
  haproxy_maxconn=$(( ($(ulimit -n) - 100) / 2 ))
  cat > "$OUT/haproxy.cfg" <<HAPROXY
# written by bench/run.sh: HAProxy terminating TLS in front of netserver (plain TCP) on loopback
global
  nbthread ${HAPROXY_THREADS:-1}
  maxconn $haproxy_maxconn
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  maxconn $haproxy_maxconn
frontend tls-greet
  bind 127.0.0.1:${GREET_PORT[haproxy]} ssl crt $TLS_DIR/haproxy.pem backlog $BACKLOG
  default_backend greet
frontend tls-echo
  bind 127.0.0.1:${ECHO_PORT[haproxy]} ssl crt $TLS_DIR/haproxy.pem backlog $BACKLOG
  default_backend echo
backend greet
  server netserver 127.0.0.1:$backend_greet
backend echo
  server netserver 127.0.0.1:$backend_echo
HAPROXY
fi
for peer in "${peers[@]}"; do
  start_peer "$peer"
  [ "$peer" != textbook ] || start_textbook_udp
done
listeners=()
for peer in "${peers[@]}"; do
  [ "$peer" != mmsg ] || continue  # UDP only
  listeners+=("$peer:${GREET_PORT[$peer]}")
  [ "$peer" = textbook ] || listeners+=("$peer:${ECHO_PORT[$peer]}")
done
! command -v ss >/dev/null || python3 "$HARNESS" backlogs "$RUN_JSON" "$BACKLOG" "${listeners[@]}"
echo "started: ${peers[*]} (backlog $BACKLOG, maxDatagramBytes $MAX_DATAGRAM)"

declare -A WARMED
for load in $LOADS; do
  [ "${load%%-c*}" != hold ] || continue
  echo "== $load"
  serving=()
  for peer in "${peers[@]}"; do
    [ -z "$(load_args "$peer" "$load")" ] || serving+=("$peer")
  done
  for peer in "${serving[@]}"; do
    # the scaling series warms each server's JIT up on a mode's first point only
    mode=$(load_args "$peer" "$load"); mode=${mode%% *}
    [ "$SERIES" = scaling ] && [ -n "${WARMED[$peer:$mode]:-}" ] && continue
    WARMED[$peer:$mode]=1
    measure "$peer" "$load" "$WARMUP" 0 ""
  done
  mapfile -t orders < <(python3 "$HARNESS" order "${#serving[@]}" "$ROUNDS")
  for round in $(seq "$ROUNDS"); do
    ordered=()
    for i in ${orders[$((round - 1))]}; do ordered+=("${serving[$i]}"); done
    echo "$load r$round: ${ordered[*]}" >> "$OUT/order.txt"
    for peer in "${ordered[@]}"; do
      measure "$peer" "$load" "$DURATION" "$ROUND_WARMUP" "$OUT/rounds/$peer-$load-r$round.json"
    done
  done
  for peer in "${serving[@]}"; do
    echo "  $peer: $(python3 "$HARNESS" summarize "$OUT" "$peer" "$load")"
  done
done

for load in $LOADS; do
  [ "${load%%-c*}" = hold ] || continue
  echo "== $load"
  for peer in "${peers[@]}"; do
    [ "$peer" != textbook ] && [ "$peer" != mmsg ] && ! is_tls_peer "$peer" || continue
    # on a fresh server process, so its RSS growth is what the idle connections cost
    stop_pid "${PID[$peer]}"
    start_peer "$peer"
    hold "$peer" "$load"
  done
done

cleanup
python3 bench/report.py "$OUT" > "$OUT/results.md"
if [ "$SERIES" = scaling ]; then
  charts="$OUT/scaling.svg"  # drawn by report.py: rate, p99 and errors against concurrency
else
  charts="$OUT/results.png"
  # shellcheck disable=SC2046 # one argument per result file (the summaries: the configurations have no "tool")
  java -jar "$JAR" bench chart --out "$OUT/results.png" --title "netserver and peers, loopback, $(nproc) cores" \
    $(grep -l '"tool"' "$OUT"/*.json) > /dev/null 2>&1 || echo "bench/run.sh: the chart could not be drawn" >&2
fi
cat "$OUT/results.md"
echo
echo "results: $OUT/results.md, $charts; raw JSON, text and server samples of every round in $OUT/rounds"
