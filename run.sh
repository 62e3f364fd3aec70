#!/usr/bin/env bash
# Builds netserver when needed, then runs it with your arguments (./run.sh --help lists the commands).
#
#   ./run.sh                      the server (netserver run) on conf/config.json
#   ./run.sh -conf other.json     another configuration; every Vert.x launcher flag works too (run --help)
#   ./run.sh -instances 2         two event-loop instances per TCP listener
#   ./run.sh -cluster             a node that forms or joins a cluster (conf/cluster.xml: loopback)
#   ./run.sh check-config         checks conf/config.json (or -conf FILE) and exits, like nginx -t
#   ./run.sh sockopts [--json]    the socket options this machine supports, and what the config gets
#   ./run.sh stats [--json]       the cluster-wide stats, asked of a running cluster
#   ./run.sh bench greet -c 50    the load generator (./run.sh bench --help)
#
# Every command reads -conf FILE when given, else conf/config.json when it exists, else the built-in defaults.
# JAVA_OPTS is passed to the JVM (e.g. JAVA_OPTS=-Dlogback.configurationFile=my-logback.xml).
# plugins/*.jar are on the class path: custom protocols ("protocol": "handler:com.example.MyHandler").
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/netserver.jar
MAIN=dev.netserver.cli.Netserver

fail() {
  echo "run.sh: $*" >&2
  exit 1
}

command -v java >/dev/null 2>&1 || fail "java is not installed; netserver needs Java 17 or newer (e.g. apt-get install openjdk-17-jdk-headless)"
java_major=$(java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }')
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || fail "java is version ${java_major:-unknown}; netserver needs Java 17 or newer"

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
  command -v mvn >/dev/null 2>&1 || fail "mvn is not installed and $JAR needs building; install Apache Maven 3.8 or newer"
  echo "run.sh: building $JAR ..." >&2
  mvn -B -q -DskipTests clean package || fail "the build failed (see above)"
fi

# Java's class-data sharing (AppCDS): an archive of the classes a server start loads (from netserver's main
# class, dev.netserver.cli.Netserver, through `netserver run` to listening), made by one training start on
# 127.0.0.1 after each build, takes start-to-listening from 1.0-1.3 s to about 0.6 s (docs/BENCHMARKS.md).
# NETSERVER_CDS=0 runs without it. If the archive can't be made or doesn't fit this JVM, java runs without it.
CDS=target/netserver.jsa
cds_opts=()
if [ "${NETSERVER_CDS:-1}" != 0 ]; then
  if [ ! -f "$CDS" ] || [ "$JAR" -nt "$CDS" ]; then
    rm -f "$CDS"
    printf '{ "node": { "name": "cds-training" }, "stats": { "logIntervalSeconds": 0 },
  "tcp": [ { "name": "greeter", "protocol": "greeting", "host": "127.0.0.1", "port": 0 },
           { "name": "echo", "protocol": "echo", "host": "127.0.0.1", "port": 0 } ],
  "udp": [ { "name": "udp-echo", "protocol": "echo", "host": "127.0.0.1", "port": 0 } ] }\n' > target/cds-training.json
    java -XX:ArchiveClassesAtExit="$CDS" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$JAR" "$MAIN" run -conf target/cds-training.json \
      > target/cds-training.log 2>&1 &
    training=$!
    for _ in $(seq 150); do
      [ "$(grep -c 'server is running' target/cds-training.log)" -ge 3 ] && break
      kill -0 "$training" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$training" 2>/dev/null || true
    wait "$training" 2>/dev/null || true
    [ -f "$CDS" ] || echo "run.sh: no class-data sharing archive (see target/cds-training.log); starting without it" >&2
  fi
  [ -f "$CDS" ] && cds_opts=(-XX:SharedArchiveFile="$CDS" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi

# The class path: the jar, then each plugins/*.jar (java -jar would ignore -cp, so the main class is named).
# The archive keeps working with plugins: it was made with the jar alone, and a class path that starts with
# the archive's is accepted (plugin classes load from their jars, unarchived).
classpath=$JAR
for plugin in plugins/*.jar; do
  [ -f "$plugin" ] && classpath+=":$plugin"
done

# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
exec java "${cds_opts[@]}" ${JAVA_OPTS:-} -cp "$classpath" "$MAIN" "$@"
