"""A Modbus device simulator, standard library only: Modbus/TCP (MBAP
header, function 3 read holding registers) and Modbus RTU over TCP (CRC-16
/MODBUS at the end, little-endian), which can corrupt the CRC of a reply
on purpose."""

import socket
import struct


def crc16_modbus(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def registers(start, count):
    """The device's holding registers: register N holds N * 10."""
    return [(start + i) * 10 & 0xFFFF for i in range(count)]


def open_listener(host='127.0.0.1', port=0):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((host, port))
    listener.listen(1)
    listener.settimeout(5.0)
    return listener


def recv_exactly(conn, n):
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError('peer closed after %d of %d bytes' % (len(data), n))
        data += chunk
    return data


def serve_tcp(listener, requests=1):
    """Answers `requests` Modbus/TCP function-3 requests; returns them."""
    seen = []
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(5.0)
        for _ in range(requests):
            header = recv_exactly(conn, 7)
            transaction, protocol, length, unit = struct.unpack('>HHHB', header)
            pdu = recv_exactly(conn, length - 1)
            seen.append(header + pdu)
            function, start, count = struct.unpack('>BHH', pdu[:5])
            if protocol != 0 or function != 3:
                body = bytes([function | 0x80, 1])
            else:
                values = registers(start, count)
                body = bytes([3, 2 * count]) + struct.pack('>%dH' % count, *values)
            conn.sendall(struct.pack('>HHHB', transaction, 0, len(body) + 1, unit) + body)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):
            pass
    return seen


def serve_rtu(listener, corrupt=(1,)):
    """Answers RTU function-3 requests (8 bytes each, checked) until the
    client closes; the replies numbered in `corrupt` (0-based) get a wrong
    CRC. Returns the requests."""
    seen = []
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(5.0)
        n = 0
        while True:
            try:
                request = recv_exactly(conn, 8)
            except (EOFError, ConnectionResetError):
                # The client may leave (--count) with a request unanswered.
                break
            seen.append(request)
            if crc16_modbus(request[:6]) != int.from_bytes(request[6:], 'little'):
                raise AssertionError('bad request CRC: %s' % request.hex(' '))
            unit, function, start, count = struct.unpack('>BBHH', request[:6])
            body = bytes([unit, function, 2 * count]) + struct.pack('>%dH' % count, *registers(start, count))
            crc = crc16_modbus(body)
            if n in corrupt:
                crc ^= 0x0101
            try:
                conn.sendall(body + crc.to_bytes(2, 'little'))
            except (BrokenPipeError, ConnectionResetError):
                break
            n += 1
    return seen
