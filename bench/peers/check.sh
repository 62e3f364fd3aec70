#!/usr/bin/env bash
# Self-check of the benchmark peers: start each on free loopback ports, check its answers with nc and
# its listen backlog with ss, stop it.
#
#   bench/peers/check.sh [textbook|asyncio|netty|mmsg]...    (no argument: all four)
#
# The netty peer needs target/netserver.jar (mvn -B -q -DskipTests clean package), or NETSERVER_JAR;
# NETTY_ARGS adds options to it (e.g. NETTY_ARGS="--transport io_uring --threads 2").
# Every client runs under `timeout`, so a hung peer costs seconds, not forever. Exit status: 0 if all passed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${NETSERVER_JAR:-$root/target/netserver.jar}
host=127.0.0.1
# Not the peers' defaults, so the checks show that the options bench/run.sh passes take effect.
backlog=777
max_datagram=9000
work=$(mktemp -d)
pids=()
names=()
failures=0

cleanup() {
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# N ports that are free on loopback for both TCP and UDP right now.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
held, ports = [], []
while len(ports) < int(sys.argv[1]):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", t.getsockname()[1]))
    except OSError:
        continue
    held += [t, u]
    ports.append(t.getsockname()[1])
print(*ports)
EOF
}

report() { # result label [detail]
  if [ "$1" = ok ]; then
    printf 'ok    %-8s %s\n' "$peer" "$2"
  else
    printf 'FAIL  %-8s %s%s\n' "$peer" "$2" "${3:+: $3}"
    failures=$((failures + 1))
  fi
}

# start LOG COMMAND...: runs the peer in the background, its output in LOG.
start() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  pids+=("$!")
  names+=("$(basename "$log" .log)")
}

# wait_ready LOG N: until LOG has N READY lines (30 s at most).
wait_ready() {
  local i
  for ((i = 0; i < 300; i++)); do
    [ "$(grep -c '^READY ' "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}

# stop_all: SIGTERM to the peer's processes; each must exit within 10 s with 143.
stop_all() {
  local k pid name i status
  for k in "${!pids[@]}"; do
    pid=${pids[$k]} name=${names[$k]}
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid"
      wait "$pid" 2>/dev/null
      report fail "$name stops on SIGTERM" "pid $pid still running after 10 s"
    else
      wait "$pid"
      status=$?
      if [ "$status" = 143 ]; then report ok "$name stops on SIGTERM (exit 143)"; else report fail "$name stops on SIGTERM" "exit $status"; fi
    fi
  done
  pids=()
  names=()
}

# listen_backlog PORT...: each TCP listener's accept queue is $backlog (ss shows it as Send-Q).
listen_backlog() {
  local port got
  for port in "$@"; do
    got=$(ss -Hltn "sport = :$port" 2>&1 | awk '{ print $3 }')
    if [ "$got" = "$backlog" ]; then report ok "backlog $backlog on port $port"; else report fail "backlog on port $port" "ss: ${got:-nothing}"; fi
  done
}

# greeting LABEL PORT NC_MODE INPUT ANSWER: one exchange from a known source port, compared byte for byte.
greeting() {
  local label=$1 port=$2 mode=$3 input=$4 answer=$5 src
  src=$(free_ports 1)
  printf 'Welcome, %s:%s\nPlease enter a string: %s' "$host" "$src" "$answer" >"$work/expected"
  printf "$input" | timeout 5 nc "$mode" -p "$src" "$host" "$port" >"$work/got" 2>"$work/nc.err"
  if cmp -s "$work/expected" "$work/got"; then
    report ok "greeting $label"
  else
    report fail "greeting $label" "expected ...$(tail -c 40 "$work/expected" | od -An -c | tr -s ' \n' ' '), got ...$(tail -c 40 "$work/got" | od -An -c | tr -s ' \n' ' ') $(cat "$work/nc.err")"
  fi
}

greetings() { # PORT LIMITED
  greeting "ascii line" "$1" -q1 'hello\n' $'You entered 5 characters.\n'
  greeting "utf-8 line with CRLF" "$1" -q1 ' h\303\251llo w\303\266rld \342\202\254\360\237\230\200 \r\n' $'You entered 14 characters.\n'
  greeting "half-close after a partial line" "$1" -N 'abc' $'You entered 3 characters.\n'
  if [ "$2" = limited ]; then
    greeting "9000-byte line" "$1" -q1 "$(head -c 9000 /dev/zero | tr '\0' a)\n" $'Line too long (limit 8192 bytes).\n'
  fi
}

tcp_echo() { # PORT
  printf 'echo me\n' | timeout 5 nc -N "$host" "$1" >"$work/got" 2>"$work/nc.err"
  if [ "$(cat "$work/got")" = "echo me" ]; then report ok "tcp echo line"; else report fail "tcp echo line" "got '$(cat "$work/got")' $(cat "$work/nc.err")"; fi
  head -c 1048576 /dev/urandom >"$work/big"
  timeout 10 nc -N "$host" "$1" <"$work/big" >"$work/got" 2>"$work/nc.err"
  if cmp -s "$work/big" "$work/got"; then report ok "tcp echo 1 MiB"; else report fail "tcp echo 1 MiB" "got $(wc -c <"$work/got") bytes back $(cat "$work/nc.err")"; fi
}

udp_echo() { # PORT LARGEST LIMITED: LIMITED=limited if a datagram over LARGEST must be dropped
  echo hi | timeout 5 nc -u -w1 "$host" "$1" >"$work/got" 2>"$work/nc.err"
  if [ "$(cat "$work/got")" = "hi" ]; then report ok "udp echo (nc)"; else report fail "udp echo (nc)" "got '$(cat "$work/got")' $(cat "$work/nc.err")"; fi
  local result
  result=$(timeout 10 python3 - "$host" "$1" "$2" "$3" <<'EOF'
import os, random, socket, sys
host, port, largest, limited = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "limited"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
data = os.urandom(largest)
s.sendto(data, (host, port))
big = s.recvfrom(65536)[0] == data
if limited:
    # one byte over the limit, then a marker: the marker must be the next reply (the larger one dropped)
    s.sendto(os.urandom(largest + 1), (host, port))
    s.sendto(b"marker", (host, port))
    big = big and s.recvfrom(65536)[0] == b"marker"
# 64 datagrams without waiting, so a batching server reads several at once; each must come back whole.
sent = {os.urandom(random.randint(1, 1000)) for _ in range(64)}
for d in sent:
    s.sendto(d, (host, port))
got = set()
try:
    while len(got) < len(sent):
        got.add(s.recvfrom(65536)[0])
except socket.timeout:
    pass
print("ok" if big else "bad", len(got & sent), len(got - sent))
EOF
  )
  local what="udp echo of $2 bytes"
  [ "$3" != limited ] || what="$what, $(($2 + 1)) dropped"
  set -- "$2" $result
  if [ "${2:-}" = ok ]; then report ok "$what"; else report fail "$what" "${result:-no reply}"; fi
  if [ "${3:-}" = 64 ] && [ "${4:-}" = 0 ]; then report ok "udp echo of a 64-datagram burst"; else report fail "udp echo of a 64-datagram burst" "${3:-0} of 64 came back, ${4:-0} unknown"; fi
}

check_textbook() {
  local g u
  read -r g u < <(free_ports 2)
  start "$work/textbook.log" python3 "$here/textbook_server.py" --host "$host" --port "$g" --backlog "$backlog"
  start "$work/textbook_udp.log" python3 "$here/textbook_udp_echo.py" --host "$host" --port "$u"
  if wait_ready "$work/textbook.log" 1 && wait_ready "$work/textbook_udp.log" 1; then
    report ok "READY: $(cat "$work/textbook.log" "$work/textbook_udp.log" | grep '^READY' | paste -sd, | sed 's/,/, /g')"
    listen_backlog "$g"
    greetings "$g" unlimited
    udp_echo "$u" 8192 unlimited
  else
    report fail "READY" "$(cat "$work/textbook.log" "$work/textbook_udp.log")"
  fi
  stop_all
}

# the C UDP echo (mmsg-peer.sh): UDP only
check_mmsg() {
  local u
  u=$(free_ports 1)
  start "$work/mmsg.log" "$here/mmsg-peer.sh" --host "$host" --udp-port "$u" --max-datagram-bytes "$max_datagram"
  if wait_ready "$work/mmsg.log" 1; then
    report ok "READY: $(grep '^READY' "$work/mmsg.log")"
    udp_echo "$u" "$max_datagram" limited
  else
    report fail "READY" "$(cat "$work/mmsg.log")"
  fi
  stop_all
}

# check_one LOG COMMAND...: a peer serving all three protocols in one process.
check_one() {
  local log=$1 g e u
  shift
  read -r g e u < <(free_ports 3)
  start "$log" "$@" --host "$host" --greet-port "$g" --echo-port "$e" --udp-port "$u" --backlog "$backlog" \
    --max-datagram-bytes "$max_datagram"
  if wait_ready "$log" 3; then
    report ok "READY: $(grep '^READY' "$log" | paste -sd, | sed 's/,/, /g')"
    listen_backlog "$g" "$e"
    greetings "$g" limited
    tcp_echo "$e"
    udp_echo "$u" "$max_datagram" limited
  else
    report fail "READY" "$(cat "$log")"
  fi
  stop_all
}

[ $# -gt 0 ] || set -- textbook asyncio netty mmsg
for peer in "$@"; do
  case $peer in
    textbook) check_textbook ;;
    asyncio) check_one "$work/asyncio.log" python3 "$here/asyncio_server.py" ;;
    netty)
      if [ -f "$jar" ] && NETSERVER_JAR=$jar "$here/netty-peer.sh" --compile-only; then
        # shellcheck disable=SC2086 # NETTY_ARGS is a list of options
        check_one "$work/netty.log" env NETSERVER_JAR="$jar" "$here/netty-peer.sh" ${NETTY_ARGS:-}
      else
        report fail "needs $jar" "build it: (cd $root && mvn -B -q -o -DskipTests clean package)"
      fi
      ;;
    mmsg) if "$here/mmsg-peer.sh" --compile-only; then check_mmsg; else report fail "mmsg-peer.sh --compile-only"; fi ;;
    *) echo "usage: $0 [textbook|asyncio|netty|mmsg]..." >&2; exit 2 ;;
  esac
done
if [ "$failures" = 0 ]; then echo "all checks passed"; else echo "$failures check(s) failed"; fi
[ "$failures" = 0 ]
