#!/usr/bin/env bash
# Runs the C UDP echo (mmsg_udp_echo.c: one thread, epoll, recvmmsg/sendmmsg in batches of 64), compiling it
# with gcc first when the binary is missing or older than the source. The binary goes to target/bench-peers;
# it replaces this script (same pid).
#
#   bench/peers/mmsg-peer.sh [--host 127.0.0.1] [--udp-port 51423] [--max-datagram-bytes 8192]
#   bench/peers/mmsg-peer.sh --compile-only
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/target/bench-peers/mmsg_udp_echo

command -v gcc >/dev/null || { echo "mmsg-peer.sh: gcc is needed (apt-get install gcc)" >&2; exit 1; }
if [ ! -x "$bin" ] || [ "$here/mmsg_udp_echo.c" -nt "$bin" ]; then
  mkdir -p "$(dirname "$bin")"
  gcc -O2 -Wall -Wextra -o "$bin" "$here/mmsg_udp_echo.c"
fi
[ "${1:-}" != --compile-only ] || exit 0
exec "$bin" "$@"
