#!/usr/bin/env bash
# Runs the plain Netty peer from a compiled class, compiling NettyPeer.java first when the class is missing
# or older than the source or the jar. Not `java NettyPeer.java`: source-file mode keeps the in-process
# compiler in the server's memory (at rest: 144 MiB of RSS in source-file mode, 79 MiB compiled), which a
# memory benchmark would count against the peer.
#
#   bench/peers/netty-peer.sh [NettyPeer options]    e.g. --greet-port 0 --backlog 4096 (see NettyPeer.java)
#   bench/peers/netty-peer.sh --compile-only
#
# Netty comes from netserver's fat jar (NETSERVER_JAR, default target/netserver.jar), so both run the
# same Netty; the class goes to target/bench-peers. The java process replaces this script (same pid).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${NETSERVER_JAR:-$root/target/netserver.jar}
classes=$root/target/bench-peers

[ -f "$jar" ] || { echo "netty-peer.sh: $jar is missing; build it: mvn -B -q -DskipTests clean package" >&2; exit 1; }
class=$classes/NettyPeer.class
if [ ! -f "$class" ] || [ "$here/NettyPeer.java" -nt "$class" ] || [ "$jar" -nt "$class" ]; then
  mkdir -p "$classes"
  javac -nowarn -d "$classes" -cp "$jar" "$here/NettyPeer.java"
fi
[ "${1:-}" != --compile-only ] || exit 0
exec java -cp "$classes:$jar" NettyPeer "$@"
