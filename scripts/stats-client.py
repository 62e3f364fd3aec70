#!/usr/bin/env python3
"""netserver's live stats from outside the JVM, through the TCP event bus bridge (the "bridge" configuration object).

  scripts/stats-client.py --port 9324                  one line per snapshot, until Ctrl-C
  scripts/stats-client.py --port 9324 --count 5        the next 5 snapshots, then exit
  scripts/stats-client.py --port 9324 --seconds 30     what arrives in 30 s, then exit
  scripts/stats-client.py --port 9324 --query          ask netserver.stats.query once, print the totals, exit
  add --json to print the messages' JSON bodies, one per line, instead of text

Python 3 standard library only. The bridge's framing: every frame is a 4-byte big-endian length followed by that
many bytes of UTF-8 JSON, {"type": "register" | "send" | "ping" | ..., "address": ..., "body": ...}; the bridge
answers with "message", "pong" or "err" frames. docs/STATS.md has the formats.

Exit status: 0 done; 2 bad arguments; 69 (EX_UNAVAILABLE) when the bridge cannot be reached, closes the
connection, stops answering, or nothing arrives in time; 70 (EX_SOFTWARE) when the bridge refuses a frame (an
error frame); 130 on Ctrl-C.
"""

import argparse
import json
import socket
import struct
import sys
import time
import uuid

STATS = "netserver.stats"
QUERY = "netserver.stats.query"
EX_UNAVAILABLE = 69
EX_SOFTWARE = 70
PING_AFTER_SECONDS = 10  # of silence, then a ping; no answer in as long again and the bridge counts as gone


class Unavailable(Exception):
    """The bridge cannot be reached or stopped answering."""


class Refused(Exception):
    """The bridge sent an error frame."""


class Bridge:
    def __init__(self, host, port, timeout):
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as e:
            raise Unavailable("cannot connect to the bridge at %s:%d: %s (is netserver running with a \"bridge\""
                              " object in its configuration?)" % (host, port, e.strerror or e)) from None
        self.where = "%s:%d" % (host, port)

    def send(self, frame):
        data = json.dumps(frame).encode("utf-8")
        try:
            self.sock.sendall(struct.pack(">I", len(data)) + data)
        except OSError as e:
            raise Unavailable("the bridge at %s closed the connection: %s" % (self.where, e)) from None

    def read(self, timeout):
        """The next frame, or None when nothing came within timeout seconds."""
        self.sock.settimeout(timeout)
        try:
            header = self._exactly(4, may_time_out=True)
            if header is None:
                return None
            self.sock.settimeout(PING_AFTER_SECONDS)  # the rest of a started frame is on its way
            frame = json.loads(self._exactly(struct.unpack(">I", header)[0]).decode("utf-8"))
        except OSError as e:
            raise Unavailable("lost the connection to the bridge at %s: %s" % (self.where, e)) from None
        if frame.get("type") == "err":
            raise Refused("the bridge refused: %s" % json.dumps(frame))
        return frame

    def _exactly(self, n, may_time_out=False):
        chunks = []
        while n > 0:
            try:
                chunk = self.sock.recv(n)
            except socket.timeout:
                if may_time_out and not chunks:
                    return None
                raise Unavailable("the bridge at %s stopped in the middle of a frame" % self.where) from None
            if not chunk:
                raise Unavailable("the bridge at %s closed the connection" % self.where)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)


def size(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0


def describe(kind, counters, rates=None):
    """One listener's counters in words, the way netserver's own log line says them."""
    c = lambda name: counters.get(name, 0)  # a counter a listener does not keep is left out: 0
    if kind == "udp":
        dropped = sum(v for k, v in counters.items() if k.startswith("dropped"))
        text = "%d datagrams (%d echoed, %d dropped)" % (c("datagramsIn"), c("datagramsEchoed"), dropped)
        rate = ("%.1f dgram/s" % rates["datagramsIn"]) if rates and "datagramsIn" in rates else None
    else:
        text = "%d accepted (%d active)" % (c("connectionsAccepted"), c("connectionsActive"))
        rate = ("%.1f conn/s" % rates["connectionsAccepted"]) if rates and "connectionsAccepted" in rates else None
    parts = [text] + ([rate] if rate else []) + ["in " + size(c("bytesIn")), "out " + size(c("bytesOut"))]
    for name, words in (("linesAnswered", "answered"), ("linesTooLong", "too long"), ("timedOut", "timed out"),
                        ("errors", "errors")):
        if c(name):
            parts.append("%d %s" % (c(name), words))
    refused = sum(v for k, v in counters.items() if k.startswith("refused"))
    if refused:
        parts.append("%d refused" % refused)
    return ", ".join(parts)


class Snapshots:
    """Prints snapshots, one line each, with rates from the same instance's previous snapshot."""

    def __init__(self):
        self.previous = {}

    def line(self, s):
        counters = s.get("counters", {})
        key = (s.get("node"), s.get("instance"))
        rates = None
        before = self.previous.get(key)
        if before and s.get("timestamp", 0) > before[0]:
            seconds = (s["timestamp"] - before[0]) / 1000.0
            rates = {k: (v - before[1].get(k, 0)) / seconds for k, v in counters.items()}
        self.previous[key] = (s.get("timestamp", 0), counters)
        when = time.strftime("%H:%M:%S", time.localtime(s.get("timestamp", 0) / 1000.0))
        last = " (last: the instance stopped)" if s.get("last") else ""
        return "%s %s %s %s [%s]: %s%s" % (when, s.get("node"), s.get("listener"), s.get("kind"),
                                           str(s.get("instance", ""))[:8], describe(s.get("kind"), counters, rates), last)


def subscribe(bridge, args):
    bridge.send({"type": "register", "address": STATS})
    printer = Snapshots()
    deadline = time.monotonic() + args.seconds if args.seconds else None
    received = 0
    pinged = False
    while args.count is None or received < args.count:
        wait = PING_AFTER_SECONDS
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                break
        frame = bridge.read(wait)
        if frame is None:
            if deadline is not None and time.monotonic() >= deadline:
                break
            if pinged:
                raise Unavailable("the bridge at %s stopped answering" % bridge.where)
            bridge.send({"type": "ping"})
            pinged = True
            continue
        pinged = False
        if frame.get("type") == "message" and frame.get("address") == STATS:
            received += 1
            body = frame.get("body", {})
            print(json.dumps(body) if args.json else printer.line(body), flush=True)
    if received == 0:
        raise Unavailable("no snapshot arrived from the bridge at %s within %s s" % (bridge.where, args.seconds))


def query(bridge, args):
    reply_to = "stats-client." + str(uuid.uuid4())
    bridge.send({"type": "send", "address": QUERY, "replyAddress": reply_to, "body": {}})
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        frame = bridge.read(left) if left > 0 else None
        if frame is None:
            raise Unavailable("no answer to %s within %s s" % (QUERY, args.timeout))
        if frame.get("type") == "message" and frame.get("address") == reply_to:
            break
    body = frame.get("body", {})
    if args.json:
        print(json.dumps(body), flush=True)
        return
    cluster = body.get("cluster", {})
    print("answered by %s: %d live node%s, %d departed" % (body.get("node"), cluster.get("liveNodes", 1),
                                                         "" if cluster.get("liveNodes", 1) == 1 else "s",
                                                         cluster.get("departedNodes", 0)))
    for name, listener in body.get("listeners", {}).items():
        print("  %s %s: %s" % (name, listener.get("kind"), describe(listener.get("kind"), listener.get("counters", {}),
                                                                  listener.get("rates"))))
    sys.stdout.flush()


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 (was %s)" % text)
    return value


def positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0 (was %s)" % text)
    return value


def main():
    parser = argparse.ArgumentParser(prog="stats-client.py", description="netserver's live stats through the TCP"
                                     " event bus bridge (the \"bridge\" object of its configuration).")
    parser.add_argument("--host", default="127.0.0.1", help="the bridge's host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, required=True, help="the bridge's port (bridge.port)")
    parser.add_argument("--count", type=positive_int, help="stop after this many snapshots")
    parser.add_argument("--seconds", type=positive_float, help="stop after this many seconds")
    parser.add_argument("--query", action="store_true", help="ask netserver.stats.query once, print the answer, exit")
    parser.add_argument("--timeout", type=positive_float, default=10.0, help="seconds to wait to connect and for the"
                        " query's answer (default 10)")
    parser.add_argument("--json", action="store_true", help="print the JSON bodies, one per line")
    args = parser.parse_args()
    if args.query and (args.count or args.seconds):
        parser.error("--query prints one answer: it takes neither --count nor --seconds")
    try:
        bridge = Bridge(args.host, args.port, args.timeout)
        (query if args.query else subscribe)(bridge, args)
    except Unavailable as e:
        print("stats-client: %s" % e, file=sys.stderr)
        return EX_UNAVAILABLE
    except Refused as e:
        print("stats-client: %s" % e, file=sys.stderr)
        return EX_SOFTWARE
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
