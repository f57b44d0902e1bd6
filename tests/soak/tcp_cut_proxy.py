#!/usr/bin/env python3
"""A TCP proxy that cuts connections, for the soak test.

tcp_cut_proxy.py <listen-port> <upstream-port> <seed> <rate> <counts.json>

Listens on 127.0.0.1 and forwards each connection to 127.0.0.1:<upstream>.
With probability <rate> (seeded RNG, so a run is repeatable) a connection
is marked to be cut after a random number of bytes (0-2048) in one
direction, chosen at random: before the request is complete, before the
answer is, or in the middle of a watch stream. A cut closes both sides
at once (RST). counts.json always holds {"connections": N, "cuts": M},
where a cut is counted only when it really happened (the threshold was
reached before the connection ended by itself).
"""
import json
import random
import socket
import struct
import sys
import threading

PORT, UPSTREAM, SEED, RATE, COUNTS = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rng = random.Random(SEED)
lock = threading.Lock()
counts = {"connections": 0, "cuts": 0}


def save():
    with open(COUNTS + ".tmp", "w") as f:
        json.dump(counts, f)
    import os
    os.replace(COUNTS + ".tmp", COUNTS)


def reset(sock):
    """Abort: shutdown wakes the other pump blocked in recv on this socket
    (a close would wait for it), and linger 0 makes the final close a RST."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def pump(src, dst, limit, state):
    """Copy src to dst; with a limit, cut both sockets after that many bytes."""
    sent = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) >= limit:
                dst.sendall(data[: max(0, limit - sent)])
                with lock:
                    if not state["cut"]:
                        state["cut"] = True
                        counts["cuts"] += 1
                        save()
                reset(src)
                reset(dst)
                return
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def handle(client):
    with lock:
        counts["connections"] += 1
        cut = rng.random() < RATE
        upward = rng.random() < 0.5
        limit = rng.randint(0, 2048)
        save()
    try:
        upstream = socket.create_connection(("127.0.0.1", UPSTREAM), timeout=10)
        upstream.settimeout(None)
    except OSError:
        client.close()
        return
    state = {"cut": False}
    up = threading.Thread(target=pump, args=(client, upstream, limit if cut and upward else None, state), daemon=True)
    down = threading.Thread(target=pump, args=(upstream, client, limit if cut and not upward else None, state),
                            daemon=True)
    up.start()
    down.start()
    up.join()
    down.join()
    for s in (client, upstream):
        try:
            s.close()
        except OSError:
            pass


save()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", PORT))
server.listen(64)
while True:
    conn, _ = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
