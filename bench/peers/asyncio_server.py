#!/usr/bin/env python3
"""Greeting, TCP echo and UDP echo on one asyncio event loop: what a Python user would write instead.

Standard library only (no uvloop). Streams for TCP (start_server, readuntil, drain), a DatagramProtocol for
UDP. The answers match netserver's byte for byte, including the line limit; see README.md.
"""
import argparse
import asyncio
import codecs
import signal
import sys

LINE_LIMIT = 8192  # bytes of a greeting line, as netserver's default maxLineBytes
MAX_UDP_PAYLOAD = 65507  # over IPv4
# netserver's defaults for its backlog and maxDatagramBytes (asyncio's own backlog is 100); a benchmark
# gives this peer and netserver the same values through --backlog and --max-datagram-bytes
BACKLOG = 1024
MAX_DATAGRAM_BYTES = 8192

PROMPT = b"Please enter a string: "
TOO_LONG = b"Line too long (limit %d bytes).\n" % LINE_LIMIT

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


def address_text(address):
    """127.0.0.1:5000 or [::1]:5000, as netserver writes it (IPv4 clients of a dual-stack socket as IPv4)."""
    host, port = address[0], address[1]
    if host.startswith("::ffff:") and "." in host:
        host = host[7:]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def answer(line, terminated):
    """The reply to a line (without its \\n); a \\r before the \\n belongs to the terminator."""
    if terminated and line.endswith(b"\r"):
        line = line[:-1]
    if len(line) > LINE_LIMIT:
        return TOO_LONG
    text = line.decode("utf-8", "java-replace").strip(JAVA_WHITESPACE)
    return b"You entered %d characters.\n" % len(text)


async def greet(reader, writer):
    try:
        peer = writer.get_extra_info("peername")
        if peer is None:  # reset before asyncio could ask for its address
            return
        writer.write(b"Welcome, " + address_text(peer).encode() + b"\n" + PROMPT)
        await writer.drain()
        try:
            line = await reader.readuntil(b"\n")
            reply = answer(line[:-1], True)
        except asyncio.IncompleteReadError as eof:  # half-close: answer what was sent, if anything
            reply = answer(eof.partial, False) if eof.partial else None
        except asyncio.LimitOverrunError:
            reply = TOO_LONG
        if reply:
            writer.write(reply)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def echo(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


class UdpEcho(asyncio.DatagramProtocol):
    def __init__(self, max_datagram_bytes):
        self.max_datagram_bytes = max_datagram_bytes
        self.transport = None
        self.paused = False

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        # Larger than the limit: dropped, as netserver drops it. While the send buffer is over its
        # high-water mark the datagram is dropped too, so a flood can't grow the buffer without bound.
        if len(data) <= self.max_datagram_bytes and not self.paused:
            self.transport.sendto(data, addr)

    def error_received(self, exc):
        pass  # e.g. ICMP port unreachable for an earlier reply: nothing to do

    def pause_writing(self):
        self.paused = True

    def resume_writing(self):
        self.paused = False


def ready(protocol, sockets):
    for sock in sockets:
        print("READY", protocol, address_text(sock.getsockname()), flush=True)


async def serve(args):
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda s=signum: stopped.done() or stopped.set_result(s))

    # The StreamReader limit is the line limit plus one byte for a possible \r before the \n.
    limit = LINE_LIMIT + 1
    servers, udp = [], None
    try:
        if args.greet_port:
            server = await asyncio.start_server(greet, args.host, args.greet_port, limit=limit,
                                                backlog=args.backlog)
            servers.append(server)
            ready("greeting", server.sockets)
        if args.echo_port:
            server = await asyncio.start_server(echo, args.host, args.echo_port, backlog=args.backlog)
            servers.append(server)
            ready("tcp-echo", server.sockets)
        if args.udp_port:
            udp, _ = await loop.create_datagram_endpoint(lambda: UdpEcho(args.max_datagram_bytes),
                                                         local_addr=(args.host, args.udp_port))
            ready("udp-echo", [udp.get_extra_info("socket")])
        return 128 + await stopped
    finally:
        for server in servers:
            server.close()
        if udp:
            udp.close()


def main():
    parser = argparse.ArgumentParser(description="Greeting, TCP echo and UDP echo on one asyncio loop.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--greet-port", type=int, default=51423, help="0 = no greeting listener")
    parser.add_argument("--echo-port", type=int, default=51424, help="0 = no TCP echo listener")
    parser.add_argument("--udp-port", type=int, default=51423, help="0 = no UDP echo listener")
    parser.add_argument("--backlog", type=int, default=BACKLOG, help="listen queue of the TCP listeners")
    parser.add_argument("--max-datagram-bytes", type=int, default=MAX_DATAGRAM_BYTES,
                        help="larger datagrams are dropped (1..%d)" % MAX_UDP_PAYLOAD)
    args = parser.parse_args()
    if not 1 <= args.max_datagram_bytes <= MAX_UDP_PAYLOAD:
        parser.error("--max-datagram-bytes must be in 1..%d" % MAX_UDP_PAYLOAD)
    if args.backlog < 1:
        parser.error("--backlog must be at least 1")
    sys.exit(asyncio.run(serve(args)))


if __name__ == "__main__":
    main()
