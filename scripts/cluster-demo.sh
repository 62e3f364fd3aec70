#!/usr/bin/env bash
# Three netserver nodes clustered on this machine (loopback only, conf/cluster.xml): starts them, sends each
# a bounded amount of traffic, prints the cluster-wide stats as one node sees them, and stops every process it
# started, also when interrupted.
#
#   scripts/cluster-demo.sh              the demo
#   scripts/cluster-demo.sh --kill-one   then kill -9 netserver-3 and show the stats again: departed, counts kept
#
# Needs Java 17+, Maven (to build) and nc (netcat-openbsd). The nodes' logs stay in a temporary directory,
# printed at the end. Takes about half a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/netserver.jar
CONFS=(conf/config.json conf/node2.json conf/node3.json)
NAMES=(netserver-1 netserver-2 netserver-3)
GREETER=(51423 51433 51443)  # each node's greeter; its echo is one port up; its udp-echo shares the greeter's number
EXCHANGES=20                  # greeting exchanges per node (and half as many echo exchanges, 3 datagrams)
KILL_ONE=false

for arg in "$@"; do
  case "$arg" in
    --kill-one) KILL_ONE=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster-demo: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
fail() { echo "cluster-demo: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || fail "java is not installed; netserver needs Java 17 or newer"
command -v nc >/dev/null 2>&1 || fail "nc is not installed (Debian: apt-get install netcat-openbsd)"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 5701 "${GREETER[@]}" $(for p in "${GREETER[@]}"; do echo $((p + 1)); done); do
  listening "$port" && fail "something already listens on 127.0.0.1:$port (a netserver or a cluster already running?); stop it first"
done

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src conf/cluster.xml -newer "$JAR" -print -quit)" ]; then
  command -v mvn >/dev/null 2>&1 || fail "mvn is not installed and $JAR needs building"
  say "building $JAR"
  mvn -B -q -DskipTests clean package || fail "the build failed"
fi

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/netserver-cluster-demo.XXXXXX")
PIDS=()
stop_all() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then
    say "stopping the nodes (SIGTERM)"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do  # up to 20 s: grace period, final summary, leaving the cluster
      alive=false
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
      $alive || break
      sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
  echo "logs: $LOGS"
  exit $status
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_node() {  # index
  ./run.sh -cluster -conf "${CONFS[$1]}" >"$LOGS/${NAMES[$1]}.log" 2>&1 &
  PIDS[$1]=$!
}

await_log() {  # index, pattern, what
  local log="$LOGS/${NAMES[$1]}.log"
  for _ in $(seq 1 300); do  # up to 60 s
    grep -q -- "$2" "$log" 2>/dev/null && return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || { cat "$log" >&2; fail "${NAMES[$1]} exited before $3"; }
    sleep 0.2
  done
  cat "$log" >&2
  fail "${NAMES[$1]}: no sign of $3 within 60 s"
}

traffic() {  # index: bounded, one client at a time
  local greeter=${GREETER[$1]} echo=$((GREETER[$1] + 1)) ok=0
  for i in $(seq 1 "$EXCHANGES"); do
    printf 'hello from client %d\n' "$i" | nc -N -w 5 127.0.0.1 "$greeter" | grep -q "characters" && ok=$((ok + 1))
  done
  for i in $(seq 1 $((EXCHANGES / 2))); do
    printf 'echo %d\n' "$i" | nc -N -w 5 127.0.0.1 "$echo" >/dev/null
  done
  for i in 1 2 3; do
    printf 'datagram %d\n' "$i" | nc -u -w 1 127.0.0.1 "$greeter" >/dev/null || true
  done
  echo "  ${NAMES[$1]}: $ok of $EXCHANGES greeting exchanges answered, $((EXCHANGES / 2)) echo exchanges, 3 datagrams"
}

stats() {  # node to ask
  java -jar "$JAR" stats -conf conf/config.json --node "$1"
}

say "starting ${NAMES[0]} (it forms the cluster)"
start_node 0
await_log 0 "Succeeded in deploying verticle" "starting"
grep -h "cluster:\|clustered as" "$LOGS/${NAMES[0]}.log" | sed 's/^/  /'

say "starting ${NAMES[1]} and ${NAMES[2]} (they join it)"
start_node 1
start_node 2
await_log 1 "Succeeded in deploying verticle" "starting"
await_log 2 "Succeeded in deploying verticle" "starting"
await_log 0 "node ${NAMES[1]} is live" "seeing ${NAMES[1]}"
await_log 0 "node ${NAMES[2]} is live" "seeing ${NAMES[2]}"
grep -h "node netserver-. is live" "$LOGS/${NAMES[0]}.log" | sed 's/^/  /'

say "traffic to every node (nc)"
traffic 0 & t0=$!
traffic 1 & t1=$!
traffic 2 & t2=$!
wait $t0 $t1 $t2

say "cluster-wide stats, asked of ${NAMES[0]} (java -jar $JAR stats --node ${NAMES[0]})"
sleep 2  # two publish intervals, so every node's last counts have arrived
stats "${NAMES[0]}"

if $KILL_ONE; then
  say "kill -9 ${NAMES[2]}"
  kill -KILL "${PIDS[2]}"
  wait "${PIDS[2]}" 2>/dev/null || true
  unset 'PIDS[2]'
  await_log 0 "node ${NAMES[2]} departed" "seeing ${NAMES[2]} depart"
  grep -h "node ${NAMES[2]} departed" "$LOGS/${NAMES[0]}.log" | sed 's/^/  /'
  say "cluster-wide stats, asked of ${NAMES[1]}"
  stats "${NAMES[1]}"
fi
