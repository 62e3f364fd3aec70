#!/usr/bin/env python3
"""The textbook's serial greeting server, ported to Python 3 for the benchmark.

Faithful to the original: one socket with SO_REUSEADDR, listen(5), one client at a time, an unbuffered
file object (makefile(..., 0)) whose readline() reads the line one byte per recv(), no limit on the line,
no timeout, and no error handling: a client that resets the connection at the wrong moment ends the server,
as it ended the original.

Conceded for benchmarking (see README.md): the bind address and port come from the command line (default
127.0.0.1:51423), --backlog can replace listen(5)'s 5 (bench/run.sh gives every server the same backlog),
--quiet silences the per-client print, a READY line tells a script that it listens,
SIGTERM/SIGINT exit without a traceback (status 143/130), and the answer matches netserver's byte for byte:
the welcome shows the client as ip:port, and the line is decoded and stripped as Java does it (one U+FFFD
per encoded surrogate, Java's white space) instead of counting bytes as Python 2 did.
"""
import argparse
import codecs
import signal
import socket
import sys

# Java's Character.isWhitespace, which netserver's String.strip() uses. Python's str.strip() would also
# strip U+0085, U+00A0, U+2007 and U+202F.
JAVA_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                   "\u2008\u2009\u200a\u2028\u2029\u205f\u3000")


def java_replace(err):
    """Java decodes an encoded surrogate (ED A0..BF [80..BF]) as one U+FFFD, Python as one per byte."""
    data, start = err.object, err.start
    if data[start] == 0xED and start + 1 < len(data) and 0xA0 <= data[start + 1] <= 0xBF:
        end = start + 3 if start + 2 < len(data) and 0x80 <= data[start + 2] <= 0xBF else start + 2
        return "\ufffd", end
    return "\ufffd", err.end


codecs.register_error("java-replace", java_replace)


def client_text(address):
    """127.0.0.1:5000 or [::1]:5000, as netserver writes it."""
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def exit_on(signum, frame):
    sys.exit(128 + signum)


def main():
    parser = argparse.ArgumentParser(description="The textbook's serial greeting server (Python 3 port).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=51423)
    parser.add_argument("--backlog", type=int, default=5, help="listen queue (the textbook's: 5)")
    parser.add_argument("--quiet", action="store_true", help="don't print 'Got connection from' per client")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, exit_on)
    signal.signal(signal.SIGINT, exit_on)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.host, args.port))
    s.listen(args.backlog)
    print("READY greeting", client_text(s.getsockname()), flush=True)

    while True:
        clientsock, clientaddr = s.accept()
        if not args.quiet:
            print("Got connection from", clientaddr)
        clientfile = clientsock.makefile("rwb", 0)
        clientfile.write(b"Welcome, " + client_text(clientaddr).encode() + b"\n")
        clientfile.write(b"Please enter a string: ")
        line = clientfile.readline().decode("utf-8", "java-replace").strip(JAVA_WHITESPACE)
        clientfile.write(b"You entered %d characters.\n" % len(line))
        clientfile.close()
        clientsock.close()


if __name__ == "__main__":
    main()
