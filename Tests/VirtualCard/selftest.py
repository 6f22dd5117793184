#!/usr/bin/python3
"""Self-test of the virtual My Number Card, without pcscd.

    /usr/bin/python3 Tests/VirtualCard/selftest.py [-v]

Part one drives the card's `execute()` directly: every application, command, status word,
profile and control-file knob.  Part two runs the card as a process against a fake vpcd (two
TCP listeners speaking vpcd's protocol, sending the length and the APDU in two writes as the
real one does) to check the wire protocol, TCP_QUICKACK, the signals, slots, vanishing,
reconnection, delays and the APDU log.  Standard library only; takes a few seconds.
"""

import json
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, str(HERE))
import virtual_mynumbercard as vc  # noqa: E402

ROOT = HERE.parents[1]
CARDS = ROOT / "Tests" / "Fixtures" / "cards"
HANAKO = CARDS / "mihon-hanako.json"
TARO = CARDS / "mihon-taro-rare-kanji.json"
JIRO = CARDS / "mihon-jiro-long-address.json"
EXPIRED = CARDS / "mihon-hanako-expired-cert.json"
JUKI = CARDS / "juki-card.json"
OTHER = CARDS / "other-card.json"


def profile(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def apdu(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def select_df(aid: bytes, p2=0x0C) -> bytes:
    return bytes([0, 0xA4, 4, p2, len(aid)]) + aid


def select_ef(fid: int) -> bytes:
    return bytes([0, 0xA4, 2, 0x0C, 2, fid >> 8, fid & 0xFF])


def verify(pin: str | None = None) -> bytes:
    if pin is None:
        return apdu("00200080")
    data = pin.encode()
    return bytes([0, 0x20, 0, 0x80, len(data)]) + data


def read(offset: int, le: int) -> bytes:
    return bytes([0, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF])


def sw(response: bytes) -> str:
    return response[-2:].hex().upper()


# -- an independent BER-TLV reader, as a kiosk would parse

def parse_tlv(buf: bytes, pos: int = 0):
    """(tag hex, length, value start, length form) of the TLV at pos."""
    start = pos
    pos += 1
    if buf[start] & 0x1F == 0x1F:
        while buf[pos] & 0x80:
            pos += 1
        pos += 1
    tag = buf[start:pos].hex().upper()
    first = buf[pos]
    if first < 0x80:
        return tag, first, pos + 1, "short"
    count = first & 0x7F
    length = int.from_bytes(buf[pos + 1:pos + 1 + count], "big")
    return tag, length, pos + 1 + count, f"{first:02X}"


def decode_basic_four(ef: bytes):
    """{tag: (value, form)} plus the DF21 offsets, checking that they point at the right TLVs."""
    tag, length, start, form = parse_tlv(ef)
    assert tag == "FF20", tag
    assert start + length == len(ef), "FF20's length must cover the EF exactly"
    fields = {"FF20": (ef[start:start + length], form)}
    pos = start
    order = []
    while pos < start + length:
        t, n, s, f = parse_tlv(ef, pos)
        fields[t] = (ef[s:s + n], f)
        fields[t + "@"] = pos
        order.append(t)
        pos = s + n
    assert pos == start + length, "the DF2x TLVs must end where FF20 ends"
    offsets = struct.unpack(">4H", fields["DF21"][0])
    for offset, t in zip(offsets, vc.BASIC_FOUR_TAGS):
        assert fields[t + "@"] == offset, f"DF21 offset of {t}"
    return fields, order


class CardTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.control = Path(self.tmp.name) / "card-control.json"
        self.reports = []

    def tearDown(self):
        self.tmp.cleanup()

    def card(self, path=HANAKO, control=None):
        if control is not None:
            self.write_control(control)
        return vc.VirtualMyNumberCard(path, self.control, report=self.reports.append)

    def write_control(self, control):
        text = control if isinstance(control, str) else json.dumps(control)
        tmp = self.control.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.control)  # a new inode: always seen as a change

    def ok(self, card, command: bytes) -> bytes:
        response = card.execute(command)
        self.assertEqual(sw(response), "9000", command.hex())
        return response[:-2]

    def expect(self, card, command: bytes, status: str):
        self.assertEqual(sw(card.execute(command)), status, command.hex())

    def read_ef(self, card, aid, fid, pin=None, pin_ef=None, first=8):
        """Header first, then chunks from the new offset until the TLV is covered."""
        self.ok(card, select_df(aid))
        if pin is not None:
            self.ok(card, select_ef(pin_ef))
            self.ok(card, verify(pin))
        self.ok(card, select_ef(fid))
        data = self.ok(card, read(0, first))
        _, length, start, _ = parse_tlv(data)
        total = start + length
        while len(data) < total:
            chunk = self.ok(card, read(len(data), min(256, total - len(data))))
            self.assertTrue(chunk, "READ BINARY made no progress")
            data += chunk
        return data

    def basic_four(self, card, pin="1234"):
        return self.read_ef(card, vc.KENHOJO_AID, 0x0002, pin, 0x0011)


class ApplicationsAndFiles(CardTestCase):
    def test_token_and_certificates_are_free(self):
        card = self.card()
        self.ok(card, select_df(vc.JPKI_AID))
        self.ok(card, select_ef(0x0006))
        self.assertEqual(self.ok(card, read(0, 0x14)), b"JPKIAPICCTOKEN2     ")
        cert = self.read_ef(card, vc.JPKI_AID, 0x000A, first=4)
        self.assertEqual(cert, (CARDS / "jpki-auth.der").read_bytes())
        self.assertEqual(cert[:2], b"\x30\x82")
        self.assertEqual(self.read_ef(card, vc.JPKI_AID, 0x000B, first=4), (CARDS / "jpki-auth-ca.der").read_bytes())

    def test_expired_certificate_profile(self):
        card = self.card(EXPIRED)
        self.assertEqual(self.read_ef(card, vc.JPKI_AID, 0x000A, first=4), (CARDS / "jpki-auth-expired.der").read_bytes())

    def test_protected_jpki_files(self):
        card = self.card()
        self.ok(card, select_df(vc.JPKI_AID))
        for fid in (0x0001, 0x0002, 0x0017, 0x001A):
            self.ok(card, select_ef(fid))
            self.expect(card, read(0, 4), "6982")
        self.ok(card, select_ef(0x0018))
        self.expect(card, read(0, 4), "6981")  # a PIN EF is not readable
        self.expect(card, verify(), "63C3")
        self.ok(card, select_ef(0x001B))
        self.expect(card, verify(), "63C5")  # the signing password allows 5 tries

    def test_kenhojo_files(self):
        card = self.card()
        self.ok(card, select_df(vc.KENHOJO_AID))
        for fid in (0x0001, 0x0002, 0x0003):
            self.ok(card, select_ef(fid))
            self.expect(card, read(0, 0), "6982")
        for fid, tag, size in ((0x0004, "7F21", 568), (0x0005, "FF40", None)):
            ef = self.read_ef(card, vc.KENHOJO_AID, fid, first=5)
            self.assertEqual(parse_tlv(ef)[0], tag)
            if size:
                self.assertEqual(len(ef), size)
        number = self.read_ef(card, vc.KENHOJO_AID, 0x0001, "1234", 0x0011, first=17)
        self.assertEqual(number, b"\xff\x10\x0c123456789018\xff\xff")
        hashes = self.read_ef(card, vc.KENHOJO_AID, 0x0003, "1234", 0x0011)
        self.assertEqual(parse_tlv(hashes)[:2], ("FF30", len(hashes) - 5))

    def test_kenkaku_and_juki_applications(self):
        card = self.card()
        self.ok(card, select_df(vc.KENKAKU_AID))
        self.ok(card, select_ef(0x0004))
        self.ok(card, select_df(vc.JUKI_AID))
        self.expect(card, select_ef(0x0001), "6A82")

    def test_juki_card(self):
        card = self.card(JUKI)
        self.ok(card, select_df(vc.JPKI_AID))
        self.ok(card, select_ef(0x0006))
        self.assertEqual(self.ok(card, read(0, 0x14)), b"JPKIAPICCTOKEN      ")
        for fid in (0x000A, 0x000B, 0x0018):
            self.expect(card, select_ef(fid), "6A82")
        self.expect(card, select_df(vc.KENHOJO_AID), "6A82")
        self.expect(card, select_df(vc.KENKAKU_AID), "6A82")
        self.ok(card, select_df(vc.JUKI_AID))

    def test_other_card(self):
        card = self.card(OTHER)
        for aid in (vc.JPKI_AID, vc.KENHOJO_AID, vc.KENKAKU_AID, vc.JUKI_AID):
            self.expect(card, select_df(aid), "6A82")


class Commands(CardTestCase):
    def test_select(self):
        card = self.card()
        self.ok(card, select_df(vc.KENHOJO_AID, p2=0x00))
        self.expect(card, select_df(vc.KENHOJO_AID, p2=0x04), "6A86")
        self.expect(card, select_df(bytes.fromhex("D3921000310001010409")), "6A82")
        self.expect(card, select_ef(0x0999), "6A82")
        self.expect(card, apdu("00A4020002 0002"), "6A86")
        self.expect(card, apdu("00A4020C01 02"), "6700")
        self.expect(card, apdu("00A4000C02 3F00"), "6A86")
        card.reset()
        self.expect(card, select_ef(0x0002), "6A82")  # no application selected

    def test_class_instruction_length(self):
        card = self.card()
        self.expect(card, apdu("80A4040C0AD3921000310001010408"), "6E00")
        self.expect(card, apdu("00CA000000"), "6D00")
        self.expect(card, apdu("802A008000"), "6E00")
        self.expect(card, apdu("00A4"), "6700")
        self.expect(card, apdu("00A4040C0AD392"), "6700")  # Lc larger than the data

    def test_verify_counts_and_locks(self):
        card = self.card()
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.expect(card, verify(), "6986")  # no current EF
        self.ok(card, select_ef(0x0002))
        self.expect(card, verify("1234"), "6981")  # not a PIN EF
        self.ok(card, select_ef(0x0011))
        self.expect(card, apdu("00200081"), "6A86")
        self.expect(card, verify(), "63C3")
        self.expect(card, verify(), "63C3")  # asking spends nothing
        self.expect(card, verify("0000"), "63C2")
        self.expect(card, verify("1234"), "9000")
        self.expect(card, verify(), "63C3")  # success restores the maximum
        self.expect(card, verify("1111"), "63C2")
        self.expect(card, verify("2222"), "63C1")
        self.expect(card, verify("3333"), "63C0")
        self.expect(card, verify("1234"), "6983")  # locked, even with the right PIN
        self.expect(card, verify(), "63C0")
        card.reset()  # counters survive power cycles
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C0")
        self.ok(card, select_df(vc.JPKI_AID))  # the auth PIN has its own counter
        self.ok(card, select_ef(0x0018))
        self.expect(card, verify(), "63C3")

    def test_verified_state_is_lost_on_reset_and_reselect(self):
        card = self.card()
        self.basic_four(card)
        self.expect(card, read(0, 8), "9000")
        card.reset()
        self.expect(card, read(0, 8), "6986")
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0002))
        self.expect(card, read(0, 8), "6982")
        self.ok(card, select_ef(0x0011))
        self.ok(card, verify("1234"))
        self.ok(card, select_df(vc.KENHOJO_AID))  # reselecting the AP drops the state
        self.ok(card, select_ef(0x0002))
        self.expect(card, read(0, 8), "6982")

    def test_read_binary(self):
        card = self.card(JIRO)
        ef = self.basic_four(card, "9876")
        self.assertEqual(len(ef), 330)
        self.assertEqual(self.ok(card, read(0, 0)), ef[:256])  # Le 00 = 256
        self.assertEqual(self.ok(card, apdu("00B00000000000")), ef)  # extended Le 0000 = 65536
        self.assertEqual(self.ok(card, apdu("00B00010000100")), ef[16:16 + 256])
        self.assertEqual(self.ok(card, read(300, 0xFF)), ef[300:])  # fewer bytes at the end, 9000
        self.assertEqual(self.ok(card, apdu("00B00000")), ef[:256])  # no Le: 256
        self.expect(card, read(330, 1), "6B00")
        self.expect(card, read(0x7FFF, 1), "6B00")
        self.expect(card, apdu("00B0820000"), "6A81")  # SFI
        self.expect(card, apdu("00B0000001FF"), "6700")  # data in READ BINARY


class BasicFour(CardTestCase):
    def check(self, path, ff20_form, df23_form):
        card = self.card(path)
        expected = profile(path)
        fields, order = decode_basic_four(self.basic_four(card, expected["pin"]))
        self.assertEqual(order, ["DF21", "DF22", "DF23", "DF24", "DF25"])
        self.assertEqual(fields["DF22"][0].decode(), expected["name"])
        self.assertEqual(fields["DF23"][0].decode(), expected["address"])
        self.assertEqual(fields["DF24"][0], expected["birth"].encode("ascii"))
        self.assertEqual(fields["DF25"][0], expected["sex"].encode("ascii"))
        self.assertEqual(fields["FF20"][1], ff20_form)
        self.assertEqual(fields["DF23"][1], df23_form)
        return fields

    def test_hanako(self):
        self.check(HANAKO, "short", "short")

    def test_rare_kanji_and_long_address(self):
        fields = self.check(TARO, "81", "81")
        name = fields["DF22"][0].decode()
        self.assertIn("\U00020BB7", name)  # 𠮷, outside the BMP
        self.assertIn("\u845B\U000E0100", name)  # 葛 + VS17: an IVS
        self.assertGreater(len(fields["DF23"][0]), 127)

    def test_more_than_255_bytes(self):
        fields = self.check(JIRO, "82", "82")
        self.assertEqual(fields["DF25"][0], b"9")

    def test_example_of_the_card_reference(self):
        # The constructed example of the card reference, with the shortest FF20 length form
        # (the reference uses 82 00 41 there), so every DF21 offset is two smaller.
        ef, _ = vc.basic_four("山田太郎", "東京都千代田区", "19800401", "1")
        self.assertEqual(ef.hex().upper(), (
            "FF2041"
            "DF2108000E001D00350040"
            "DF220CE5B1B1E794B0E5A4AAE9838E"
            "DF2315E69DB1E4BAACE983BDE58D83E4BBA3E794B0E58CBA"
            "DF24083139383030343031"
            "DF250131"))

class Knobs(CardTestCase):
    def test_length_forms(self):
        def expected(size, forced):
            if forced == "82" or size > 0xFF:
                return "82"
            if forced == "81" or size >= 0x80:
                return "81"
            return "short"

        for path in (HANAKO, TARO, JIRO):
            for form in ("short", "81", "82"):
                with self.subTest(profile=path.name, form=form):
                    card = self.card(path, {"lengthForm": form})
                    fields, _ = decode_basic_four(self.basic_four(card, profile(path)["pin"]))
                    for tag in ("FF20", "DF21", "DF22", "DF23", "DF24", "DF25"):
                        value, used = fields[tag]
                        self.assertEqual(used, expected(len(value), form), tag)

    def test_field_order(self):
        card = self.card(TARO, {"fieldOrder": ["DF25", "DF24", "DF23", "DF22"]})
        fields, order = decode_basic_four(self.basic_four(card, "2580"))  # also checks DF21
        self.assertEqual(order, ["DF21", "DF25", "DF24", "DF23", "DF22"])
        self.assertEqual(fields["DF22"][0].decode(), profile(TARO)["name"])

    def test_malformed(self):
        card = self.card(HANAKO, {"malformedTLV": "truncated"})
        ef = self.ok_full(card)
        _, length, start, _ = parse_tlv(ef)
        self.assertGreater(start + length, len(ef))
        self.expect(card, read(len(ef), 16), "6B00")

        card = self.card(HANAKO, {"malformedTLV": "badLength"})
        ef = self.ok_full(card)
        _, length, start, _ = parse_tlv(ef)
        self.assertEqual(start + length, len(ef))
        pos, last = start, None
        while pos < len(ef):
            t, n, s, _ = parse_tlv(ef, pos)
            last = (t, s + n)
            pos = s + n
        self.assertEqual(last[0], "DF25")
        self.assertGreater(last[1], len(ef))

        card = self.card(HANAKO, {"malformedTLV": "badOffsets"})
        ef = self.ok_full(card)
        _, _, start, _ = parse_tlv(ef)
        _, _, s, _ = parse_tlv(ef, start)
        self.assertTrue(all(o >= len(ef) for o in struct.unpack(">4H", ef[s:s + 8])))

    def ok_full(self, card):
        """The whole EF 0002, read until 6B00 (as a robust reader would not need to)."""
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.ok(card, verify("1234"))
        self.ok(card, select_ef(0x0002))
        data = b""
        while True:
            response = card.execute(read(len(data), 0))
            if sw(response) != "9000":
                self.assertEqual(sw(response), "6B00")
                return data
            data += response[:-2]

    def test_short_reads(self):
        card = self.card(TARO, {"shortReads": 7})
        self.ok(card, select_df(vc.JPKI_AID))
        self.ok(card, select_ef(0x000A))
        self.assertEqual(len(self.ok(card, read(0, 0))), 7)
        self.assertEqual(len(self.ok(card, apdu("00B00000000100"))), 7)
        decode_basic_four(self.basic_four(card, "2580"))  # header-then-chunks still works
        card = self.card(TARO, {"shortReads": 0})
        self.ok(card, select_df(vc.JPKI_AID))
        self.ok(card, select_ef(0x000A))
        self.assertEqual(self.ok(card, read(0, 0)), b"")

    def test_pin_tries_left_and_persistence(self):
        card = self.card(HANAKO, {"pinTriesLeft": 1, "authPinTriesLeft": 2})
        self.ok(card, select_df(vc.JPKI_AID))
        self.ok(card, select_ef(0x0018))
        self.expect(card, verify(), "63C2")
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C1")
        self.expect(card, verify("9999"), "63C0")
        self.expect(card, verify("1234"), "6983")
        card.power_on()  # the unchanged file is re-read but not re-applied: still locked
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C0")
        self.write_control({"pinTriesLeft": 0})
        card.power_on()
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C0")
        self.write_control({})  # a rewritten file sets the card up afresh
        card.power_on()
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C3")
        self.expect(card, verify("0000"), "63C2")
        self.control.unlink()  # so does deleting it
        card.power_on()
        self.ok(card, select_df(vc.KENHOJO_AID))
        self.ok(card, select_ef(0x0011))
        self.expect(card, verify(), "63C3")

    def test_profile_switch_and_rereads(self):
        card = self.card(HANAKO, {})
        self.write_control({"profile": "Tests/Fixtures/cards/juki-card.json"})
        # No reset needed: a SELECT by DF name picks up a rewritten control file.
        self.expect(card, select_df(vc.KENHOJO_AID), "6A82")
        self.write_control({"profile": str(OTHER)})
        card.power_on()
        self.expect(card, select_df(vc.JPKI_AID), "6A82")
        self.write_control("")  # empty: defaults
        card.power_on()
        self.assertEqual(self.basic_four(card)[:2], b"\xff\x20")

    def test_bad_control_file_is_reported_and_ignored(self):
        card = self.card(HANAKO, {"shortReads": 3})
        for bad in ('{"shortReads": -1}', '{"slot": 2}', '{"nope": 1}', '{"fieldOrder": ["DF22"]}',
                    '{"profile": "Tests/Fixtures/cards/missing.json"}', '{"lengthForm": "83"}',
                    '{"malformedTLV": "weird"}', '{"pinTriesLeft": 4}', '[1]', '{"delayMs": true}', '{'):
            self.write_control(bad)
            card.power_on()
            self.assertTrue(self.reports, bad)
            self.reports.clear()
            self.assertEqual(card.settings["shortReads"], 3, bad)  # the previous set-up stays

    def test_settings_defaults_and_comment(self):
        card = self.card(HANAKO, {"comment": "why", "slot": 1, "delayMs": 5, "vanishAfter": 2})
        self.assertEqual(card.settings["slot"], 1)
        self.assertEqual(card.settings["delayMs"], 5)
        self.assertEqual(card.settings["vanishAfter"], 2)
        self.assertEqual(self.reports, [])


# ---------------------------------------------------------------- over the wire

def free_port_pair():
    """Two listening sockets on consecutive ports (vpcd's slots 0 and 1)."""
    for _ in range(50):
        first = socket.socket()
        first.bind(("127.0.0.1", 0))
        port = first.getsockname()[1]
        second = socket.socket()
        try:
            second.bind(("127.0.0.1", port + 1))
        except OSError:
            first.close()
            second.close()
            continue
        for s in (first, second):
            s.listen(1)
            s.settimeout(5)
        return port, first, second
    raise RuntimeError("no two consecutive free ports")


class FakeVpcd:
    """vpcd's side of one connection: length and payload in two writes, Nagle left on."""

    def __init__(self, conn):
        self.conn = conn
        conn.settimeout(5)

    def control(self, byte: int):
        self.conn.send(b"\x00\x01")
        self.conn.send(bytes([byte]))

    def transmit(self, payload: bytes) -> bytes:
        self.conn.send(struct.pack(">H", len(payload)))
        self.conn.send(payload)
        return self.receive()

    def receive(self) -> bytes:
        head = self.recv_exact(2)
        return self.recv_exact(struct.unpack(">H", head)[0])

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            part = self.conn.recv(n - len(data))
            if not part:
                raise ConnectionError("card closed the connection")
            data += part
        return data

    def closed(self, within=3.0) -> bool:
        self.conn.settimeout(within)
        try:
            return self.conn.recv(1) == b""
        except socket.timeout:
            return False


class OverTheWire(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.control = self.dir / "card-control.json"
        self.log = self.dir / "apdu.log"
        self.port, self.slot0, self.slot1 = free_port_pair()
        self.process = None
        self.connections = []

    def tearDown(self):
        for conn in self.connections:
            conn.close()
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stderr.close()
        self.slot0.close()
        self.slot1.close()
        self.tmp.cleanup()

    def start(self, control=None, path=HANAKO):
        if control is not None:
            self.control.write_text(json.dumps(control))
        self.process = subprocess.Popen(
            ["/usr/bin/python3", str(HERE / "virtual_mynumbercard.py"), "--port", str(self.port),
             "--profile", str(path), "--control", str(self.control), "--log", str(self.log)],
            stderr=subprocess.PIPE)
        return self.accept(self.slot0)

    def accept(self, listener) -> FakeVpcd:
        conn, _ = listener.accept()
        self.connections.append(conn)
        vpcd = FakeVpcd(conn)
        vpcd.control(0x01)  # power on, as vpcd does
        return vpcd

    def lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def wait_for_line(self, line, within=3.0):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if line in self.lines():
                return
            time.sleep(0.02)
        self.fail(f"log has no line {line!r}: {self.lines()}")

    def test_protocol_log_and_masking(self):
        vpcd = self.start()
        vpcd.conn.send(b"\x00\x01\x04")  # length and control byte in one write works too
        self.assertEqual(vpcd.receive(), vc.DEFAULT_ATR)
        self.assertEqual(vpcd.transmit(select_df(vc.KENHOJO_AID)), b"\x90\x00")
        self.assertEqual(vpcd.transmit(select_ef(0x0011)), b"\x90\x00")
        self.assertEqual(vpcd.transmit(verify("1234")), b"\x90\x00")
        self.assertEqual(vpcd.transmit(select_ef(0x0002)), b"\x90\x00")
        data = vpcd.transmit(read(0, 0))
        self.assertEqual(data[-2:], b"\x90\x00")
        vpcd.control(0x02)  # reset: verified state gone
        self.assertEqual(vpcd.transmit(read(0, 0)), b"\x69\x86")
        self.assertEqual(self.lines(), [
            "# inserted slot 0",
            "00A4040C0AD3921000310001010408", "# R 9000",
            "00A4020C020011", "# R 9000",
            "0020008004********", "# R 9000",
            "00A4020C020002", "# R 9000",
            "00B0000000", "# R 9000",
            "00B0000000", "# R 6986",
        ])
        self.assertNotIn("見本".encode().hex().upper(), self.log.read_text())

    def test_quickack_keeps_round_trips_short(self):
        vpcd = self.start()
        times = []
        for _ in range(40):
            began = time.perf_counter()
            vpcd.transmit(select_df(vc.JPKI_AID))
            times.append(time.perf_counter() - began)
        # A delayed ACK would hold vpcd's second write for ~40 ms.
        self.assertLess(statistics.median(times), 0.010, times)

    def test_remove_insert_and_move_to_slot_1(self):
        vpcd = self.start()
        self.process.send_signal(signal.SIGUSR1)
        self.assertTrue(vpcd.closed())
        self.control.write_text(json.dumps({"slot": 1}))
        self.process.send_signal(signal.SIGUSR2)
        vpcd = self.accept(self.slot1)
        self.assertEqual(vpcd.transmit(select_df(vc.JPKI_AID)), b"\x90\x00")
        self.process.send_signal(signal.SIGUSR1)
        self.assertTrue(vpcd.closed())
        self.control.unlink()
        self.process.send_signal(signal.SIGUSR2)
        vpcd = self.accept(self.slot0)
        self.assertEqual(vpcd.transmit(select_df(vc.JPKI_AID)), b"\x90\x00")
        self.assertEqual([line for line in self.lines() if line.startswith("# ") and not line.startswith("# R")],
                         ["# inserted slot 0", "# removed", "# inserted slot 1", "# removed", "# inserted slot 0"])

    def test_vanish_after(self):
        vpcd = self.start({"vanishAfter": 3})
        self.assertEqual(vpcd.transmit(select_df(vc.KENHOJO_AID)), b"\x90\x00")
        self.assertEqual(vpcd.transmit(select_ef(0x0011)), b"\x90\x00")
        vpcd.conn.send(b"\x00\x09")
        vpcd.conn.send(verify("1234"))
        self.assertTrue(vpcd.closed())  # no answer: the card is gone
        self.assertEqual(self.lines()[-2:], ["0020008004********", "# vanished"])
        self.slot0.settimeout(0.6)
        with self.assertRaises(socket.timeout):
            self.slot0.accept()  # and stays gone
        self.slot0.settimeout(5)
        self.control.unlink()
        self.process.send_signal(signal.SIGUSR2)
        vpcd = self.accept(self.slot0)
        self.assertEqual(vpcd.transmit(select_df(vc.KENHOJO_AID)), b"\x90\x00")

    def test_vanish_counts_from_the_latest_set_up(self):
        vpcd = self.start()
        for _ in range(5):
            self.assertEqual(vpcd.transmit(select_df(vc.JPKI_AID)), b"\x90\x00")
        self.control.write_text(json.dumps({"vanishAfter": 2}))
        # No re-insertion: the SELECT by DF name applies the file and is C-APDU 1.
        self.assertEqual(vpcd.transmit(select_df(vc.KENHOJO_AID)), b"\x90\x00")
        vpcd.conn.send(b"\x00\x07")
        vpcd.conn.send(select_ef(0x0011))
        self.assertTrue(vpcd.closed())
        self.assertEqual(self.lines()[-2:], ["00A4020C020011", "# vanished"])

    def test_reconnects_and_pin_counter_persists(self):
        vpcd = self.start()
        vpcd.transmit(select_df(vc.KENHOJO_AID))
        vpcd.transmit(select_ef(0x0011))
        self.assertEqual(vpcd.transmit(verify("0000")), b"\x63\xc2")
        vpcd.conn.close()  # pcscd restarting
        vpcd = self.accept(self.slot0)
        vpcd.transmit(select_df(vc.KENHOJO_AID))
        vpcd.transmit(select_ef(0x0011))
        self.assertEqual(vpcd.transmit(verify()), b"\x63\xc2")
        self.assertIn("# connection lost", self.lines())
        self.assertEqual(self.lines().count("# inserted slot 0"), 2)

    def test_delay_and_reread_at_reset(self):
        vpcd = self.start()
        self.control.write_text(json.dumps({"delayMs": 150, "shortReads": 5}))
        vpcd.control(0x02)
        began = time.perf_counter()
        self.assertEqual(vpcd.transmit(select_df(vc.JPKI_AID)), b"\x90\x00")
        self.assertGreaterEqual(time.perf_counter() - began, 0.15)
        vpcd.transmit(select_ef(0x0006))
        self.assertEqual(vpcd.transmit(read(0, 0x14)), b"JPKIA\x90\x00")

    def test_bad_control_file_is_logged(self):
        vpcd = self.start()
        self.control.write_text('{"slot": 7}')
        vpcd.control(0x02)
        self.assertEqual(vpcd.transmit(select_df(vc.JPKI_AID)), b"\x90\x00")
        self.assertTrue(any(line.startswith("# control error: ") for line in self.lines()), self.lines())


if __name__ == "__main__":
    unittest.main()
