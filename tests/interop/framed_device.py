"""A device that sends length-prefixed frames (a 2-byte big-endian length of
the body, then the body: `--frame=len:2:be`) cut at random places, several
frames in one write and one frame across several, with TCP_NODELAY so each
write is its own segment. Standard library only."""

import random
import socket
import time


def make_messages(seed, count=40):
    """The frames the device means: bodies of 0..300 random bytes."""
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(301)))
            for _ in range(count)]


def encode(body):
    return len(body).to_bytes(2, 'big') + body


def open_listener(host='127.0.0.1', port=0):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((host, port))
    listener.listen(1)
    listener.settimeout(5.0)
    return listener


def serve_one(listener, messages, seed):
    """Accepts one client and writes the frames in random cuts (1..70 bytes,
    a short pause now and then so the reads really are cut), then closes.
    Returns the write sizes."""
    rng = random.Random(seed)
    conn, _ = listener.accept()
    sizes = []
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        stream = b''.join(encode(m) for m in messages)
        at = 0
        while at < len(stream):
            size = rng.randrange(1, 71)
            conn.sendall(stream[at:at + size])
            sizes.append(len(stream[at:at + size]))
            at += size
            if rng.random() < 0.3:
                time.sleep(0.002)
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(5.0)
        while conn.recv(4096):
            pass
    return sizes
