#!/usr/bin/env python3
"""The textbook's UDP echo server, ported to Python 3 for the benchmark.

Faithful to the original: one socket with SO_REUSEADDR, recvfrom(8192) (a larger datagram is echoed cut to
8192 bytes), a print per datagram, sendto back, and every other error printed with its traceback and
ignored.

Conceded for benchmarking (see README.md): the bind address and port come from the command line (default
127.0.0.1:51423), --quiet silences the per-datagram print, a READY line tells a script that it listens, and
SIGTERM/SIGINT exit without a traceback (status 143/130).
"""
import argparse
import signal
import socket
import sys
import traceback


def address_text(address):
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def exit_on(signum, frame):
    sys.exit(128 + signum)


def main():
    parser = argparse.ArgumentParser(description="The textbook's UDP echo server (Python 3 port).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=51423)
    parser.add_argument("--quiet", action="store_true", help="don't print 'Got data from' per datagram")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, exit_on)
    signal.signal(signal.SIGINT, exit_on)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.host, args.port))
    print("READY udp-echo", address_text(s.getsockname()), flush=True)

    while True:
        try:
            message, address = s.recvfrom(8192)
            if not args.quiet:
                print("Got data from", address)
            # Echo it back
            s.sendto(message, address)
        except (KeyboardInterrupt, SystemExit):
            raise
        except:  # noqa: E722 (as the textbook wrote it)
            traceback.print_exc()


if __name__ == "__main__":
    main()
