#!/usr/bin/env python3
"""A whoisq client in Python, written from the protocol table in README.md.

Uses only Debian's python3-zmq and python3-msgpack:

    python3 tools/python/whoisq_client.py --broker tcp://127.0.0.1:7700 example.com 8.8.8.8

Prints one JSON object per result (the LookupReply fields), in the order given.
Exit status: 0 if every name got an answer, 1 if any was refused or none came.
"""
import argparse
import json
import sys

import msgpack
import zmq

PROTOCOL = b"WQC1"  # client protocol, version 1


def lookup(broker, names, timeout_s=60.0, fresh=False):
    """Sends every name pipelined; returns {request id: reply dict}."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(broker)
    for i, name in enumerate(names):
        body = msgpack.packb({"v": 1, "id": str(i), "query": name, "deadline_ms": 0,
                              "fresh": fresh, "priority": 0})
        # Frames: empty delimiter, protocol, command, msgpack body.
        sock.send_multipart([b"", PROTOCOL, b"LOOKUP", body])
    replies = {}
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    while len(replies) < len(names):
        if not poller.poll(timeout_s * 1000):
            raise TimeoutError(f"no reply in {timeout_s} s ({len(replies)}/{len(names)} answered)")
        frames = sock.recv_multipart()
        if frames and frames[0] == b"":
            frames = frames[1:]
        if len(frames) < 2 or frames[0] != PROTOCOL:
            raise ValueError(f"unexpected frames {frames[:2]!r}")
        command, body = frames[1], frames[2] if len(frames) > 2 else b""
        message = msgpack.unpackb(body, raw=False) if body else {}
        if command == b"RESULT":
            replies[message["id"]] = message
        elif command == b"ERROR":
            raise RuntimeError(f"broker refused a request: {message.get('error')}: {message.get('message')}")
    sock.close()
    return replies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", default="tcp://127.0.0.1:7700", help="broker frontend endpoint")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for replies")
    parser.add_argument("--fresh", action="store_true", help="bypass the broker's store")
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    try:
        replies = lookup(args.broker, args.names, args.timeout, args.fresh)
    except (TimeoutError, ValueError, RuntimeError) as e:
        print(f"whoisq_client: {e}", file=sys.stderr)
        return 1
    failed = False
    for i in range(len(args.names)):
        reply = replies[str(i)]
        failed |= reply.get("outcome") == "error"
        print(json.dumps(reply, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
