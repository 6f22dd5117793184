#!/usr/bin/python3
"""Madoguchi's virtual My Number Card for vsmartcard's vpcd reader (tests and demo only).

It connects to vpcd's TCP port (vpcd listens; connecting = card inserted, closing = card
removed) and answers the APDUs a kiosk sends, from a JSON profile of a fictional resident:

  SELECT by DF name (P1=04): the JPKI and Kenhojo applications; other AIDs -> 6A82
  SELECT EF (P1=02) inside the selected application -> 9000 or 6A82
  VERIFY (INS 20, P2=80) on the Kenhojo PIN EF 0011: without data -> 63Cx (tries left),
      with the right PIN -> 9000, wrong -> 63Cx with one try fewer, none left -> 6983
  READ BINARY (INS B0): JPKI token EF 0006; Kenhojo basic-4 EF 0002 (after VERIFY) as the
      FF20/DF21..DF25 TLV of the card; offset P1P2, Le 00 = 256; past the end -> 6B00
  anything else -> 6D00 (INS) or 6E00 (CLA)
The individual number (EF 0001) is deliberately absent: Madoguchi never reads it.

Control hooks: SIGUSR1 removes the card, SIGUSR2 inserts it again, SIGTERM removes it and
exits. When pcscd restarts the socket closes; the card reconnects by itself while inserted.
Every C-APDU is appended in hex to --log, with VERIFY data masked.

vpcd wire protocol: each message is a 2-byte big-endian length and a payload; payloads of
one byte are controls (00 power off, 01 power on, 02 reset, 04 send the ATR).

TCP_QUICKACK is set before every recv: vpcd writes the length and the APDU in two sends
without TCP_NODELAY, and a delayed ACK would cost ~40 ms per APDU.

Standard library only, so Debian's /usr/bin/python3 runs it.
"""

import argparse
import json
import select
import signal
import socket
import struct
import sys
import time

JPKI_AID = bytes.fromhex("D392F000260100000001")
KENHOJO_AID = bytes.fromhex("D3921000310001010408")
ATR = bytes.fromhex("3BE000FF8131FE4514")
TOKEN = b"JPKIAPICCTOKEN2".ljust(20, b" ")

SW_OK = b"\x90\x00"
SW_NOT_FOUND = b"\x6a\x82"
SW_SECURITY = b"\x69\x82"
SW_BLOCKED = b"\x69\x83"
SW_WRONG_P1P2 = b"\x6b\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_INS = b"\x6d\x00"
SW_CLA = b"\x6e\x00"
SW_NO_EF = b"\x69\x86"


def tlv(tag: bytes, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return tag + length + value


def basic_four(profile: dict) -> bytes:
    """EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }."""
    fields = [
        tlv(b"\xdf\x22", profile["name"].encode("utf-8")),
        tlv(b"\xdf\x23", profile["address"].encode("utf-8")),
        tlv(b"\xdf\x24", profile["birth"].encode("ascii")),
        tlv(b"\xdf\x25", profile["sex"].encode("ascii")),
    ]
    body_len = 2 + 1 + 8 + sum(len(f) for f in fields)
    header_len = len(tlv(b"\xff\x20", bytes(body_len))) - body_len
    offsets, position = [], header_len + 11
    for field in fields:
        offsets.append(position)
        position += len(field)
    df21 = tlv(b"\xdf\x21", b"".join(struct.pack(">H", o) for o in offsets))
    return tlv(b"\xff\x20", df21 + b"".join(fields))


class Card:
    """The card's state between power cycles: selection and the verified flag."""

    def __init__(self, profile: dict):
        self.profile = profile
        self.tries = int(profile.get("pinTriesLeft", 3))
        self.files = {
            JPKI_AID: {0x0006: TOKEN},
            KENHOJO_AID: {0x0002: basic_four(profile), 0x0011: None},
        }
        self.reset()

    def reset(self):
        self.application = None
        self.ef = None
        self.verified = False

    def execute(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla != 0x00:
            return SW_CLA
        body = apdu[4:]
        data, le = b"", None
        if len(body) == 1:
            le = body[0] or 256
        elif len(body) > 1:
            lc = body[0]
            data = body[1:1 + lc]
            if len(data) != lc:
                return SW_WRONG_LENGTH
            if len(body) > 1 + lc:
                le = body[1 + lc] or 256
        if ins == 0xA4:
            return self.select(p1, data)
        if ins == 0x20:
            return self.verify(p2, data)
        if ins == 0xB0:
            return self.read_binary(p1, p2, 256 if le is None else le)
        return SW_INS

    def select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            if data in self.files:
                self.application, self.ef, self.verified = data, None, False
                return SW_OK
            return SW_NOT_FOUND
        if p1 == 0x02 and len(data) == 2 and self.application is not None:
            fid = (data[0] << 8) | data[1]
            if fid in self.files[self.application]:
                self.ef = fid
                return SW_OK
        return SW_NOT_FOUND

    def verify(self, p2: int, data: bytes) -> bytes:
        if self.application != KENHOJO_AID or self.ef != 0x0011 or p2 != 0x80:
            return SW_NOT_FOUND
        if self.tries == 0:
            return SW_BLOCKED if data else b"\x63\xc0"
        if not data:
            return bytes([0x63, 0xC0 | self.tries])
        if data == self.profile["pin"].encode("ascii"):
            self.tries = int(self.profile.get("pinTriesLeft", 3))
            self.verified = True
            return SW_OK
        self.tries -= 1
        return bytes([0x63, 0xC0 | self.tries])

    def read_binary(self, p1: int, p2: int, le: int) -> bytes:
        if self.application is None or self.ef is None:
            return SW_NO_EF
        content = self.files[self.application][self.ef]
        if content is None:
            return SW_NO_EF
        if self.application == KENHOJO_AID and not self.verified:
            return SW_SECURITY
        if p1 & 0x80:
            return SW_WRONG_P1P2  # short EF identifiers are not offered
        offset = (p1 << 8) | p2
        if offset > len(content):
            return SW_WRONG_P1P2
        return content[offset:offset + le] + SW_OK


def masked(apdu: bytes) -> str:
    if len(apdu) > 5 and apdu[1] == 0x20:
        return apdu[:5].hex().upper() + "*" * (2 * (len(apdu) - 5))
    return apdu.hex().upper()


class Runner:
    def __init__(self, args, card: Card):
        self.args = args
        self.card = card
        self.inserted = True
        self.stopping = False
        self.sock = None

    def log(self, line: str):
        if self.args.log:
            with open(self.args.log, "a", encoding="ascii") as f:
                f.write(line + "\n")

    def disconnect(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None
            self.card.reset()

    def connect(self) -> bool:
        try:
            s = socket.create_connection((self.args.host, self.args.port), timeout=1)
        except OSError:
            return False
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(None)
        self.sock = s
        self.log("# inserted")
        return True

    def recv_exact(self, n: int) -> bytes:
        chunks = b""
        while len(chunks) < n:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            part = self.sock.recv(n - len(chunks))
            if not part:
                raise ConnectionError("vpcd closed the connection")
            chunks += part
        return chunks

    def send(self, payload: bytes):
        self.sock.sendall(struct.pack(">H", len(payload)) + payload)

    def serve_one(self):
        (length,) = struct.unpack(">H", self.recv_exact(2))
        message = self.recv_exact(length)
        if length == 1:
            control = message[0]
            if control in (0x00, 0x02):  # power off, reset
                self.card.reset()
            elif control == 0x01:  # power on
                self.card.reset()
            elif control == 0x04:  # send ATR
                self.send(ATR)
            return
        self.log(masked(message))
        self.send(self.card.execute(message))

    def run(self):
        signal.signal(signal.SIGUSR1, lambda *_: self.set_inserted(False))
        signal.signal(signal.SIGUSR2, lambda *_: self.set_inserted(True))
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        while not self.stopping:
            if not self.inserted:
                self.disconnect()
                time.sleep(0.05)
                continue
            if self.sock is None:
                if not self.connect():
                    time.sleep(0.2)
                    continue
            try:
                ready, _, _ = select.select([self.sock], [], [], 0.1)
                if ready:
                    self.serve_one()
            except (OSError, ConnectionError, ValueError):
                self.log("# connection lost")
                self.disconnect()
                time.sleep(0.2)
        self.disconnect()

    def set_inserted(self, inserted: bool):
        self.inserted = inserted
        if not inserted:
            self.log("# removed")

    def stop(self):
        self.stopping = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="vpcd's port for the slot")
    parser.add_argument("--profile", required=True, help="JSON profile of a fictional resident")
    parser.add_argument("--log", help="append each C-APDU in hex here (VERIFY data masked)")
    args = parser.parse_args()
    try:
        with open(args.profile, encoding="utf-8") as f:
            profile = json.load(f)
        for key in ("name", "address", "birth", "sex", "pin"):
            if not isinstance(profile.get(key), str):
                raise ValueError(f"missing or non-text key '{key}'")
    except (OSError, ValueError) as error:
        print(f"virtual_card: cannot use profile {args.profile}: {error}", file=sys.stderr)
        return 2
    Runner(args, Card(profile)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
