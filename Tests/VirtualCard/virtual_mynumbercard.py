#!/usr/bin/python3
"""Madoguchi's virtual My Number Card for vsmartcard's vpcd reader (tests and demo only).

It connects to vpcd's TCP port (vpcd listens; connecting = card inserted, closing = card
removed) and answers the APDUs a kiosk sends, as the card of a fictional resident described
by a JSON profile under Tests/Fixtures/cards/.  Every person, number and certificate in it
is made up.

Applications (SELECT by DF name, P1=04, P2=0C or 00; no FCI is ever returned):
  JPKI AP     D392F000260100000001  EF 0006 token (free), 000A auth certificate and 000B
                                    auth CA certificate (X.509 DER, free), 0018 auth PIN,
                                    0017 auth key / 0001 sign cert / 0002 sign CA cert /
                                    001A sign key (selectable, never readable: 6982),
                                    001B sign password (5 tries)
  Kenhojo AP  D3921000310001010408  EF 0001 My Number, 0002 basic 4 and 0003 hashes (after
                                    VERIFY on 0011), 0004 intermediate cert and 0005 AP info
                                    (free), 0011 Kenhojo PIN
  Kenkaku AP  D3921000310001010402  EF 0002 face data (never readable), 0004 (free)
  Juki AP     D3921000310001010100  no EFs
The profile's "cardType" picks the applications: "myNumberCard" (default, all four),
"juki" (an old 住基カード: JPKI token JPKIAPICCTOKEN, only the signing side of JPKI, and the
Juki AP) or "other" (no application at all).

Commands (CLA must be 00, else 6E00; an unknown INS gives 6D00; a malformed APDU 6700):
  SELECT EF     00 A4 02 0C 02 <FID>   in the current application -> 9000 / 6A82
  VERIFY        00 20 00 80 [Lc PIN]   on the selected PIN EF: no data -> 63Cx (x tries left,
                none spent); right PIN -> 9000 and the counter back to its maximum; wrong ->
                one try fewer, 63Cx; none left -> 6983 (with data) / 63C0 (without)
  READ BINARY   00 B0 P1 P2 Le         offset P1P2; Le 00 = 256; extended Le 00 HH LL is
                accepted; P1 bit 8 (short EF id) -> 6A81; offset at or past the end -> 6B00;
                protected EF before VERIFY -> 6982; no current EF -> 6986; a PIN EF -> 6981
A PIN counter lives as long as the process (a real card keeps it across sessions), except
that rewriting the control file sets the card up afresh.  Power off, power on and reset
clear the selection and the verified state.

Control file (--control): JSON, all keys optional, a missing or empty file means defaults.
It is re-read at every power-on and reset (vpcd control 01/02), every SELECT by DF name,
every (re)connection and every SIGUSR2; when it has changed (written, replaced or deleted)
the card is set up afresh from it.  Keys: profile, shortReads, lengthForm, fieldOrder, slot,
pinTriesLeft, authPinTriesLeft, delayMs, vanishAfter, malformedTLV, comment; see
docs/development.md ("The virtual card") for what each does.

Signals: SIGUSR1 removes the card, SIGUSR2 re-reads the control file and inserts it (in the
slot the file names), SIGTERM/SIGINT remove it and exit.  When pcscd restarts the socket
closes; the card reconnects by itself while inserted.

Trace (--log): every C-APDU in hex on its own line (VERIFY data masked with '*'), then
'# R <SW>' for its status word (never response data: it is personal), and the events
'# inserted slot N', '# removed', '# vanished', '# connection lost', '# control error: …'.

vpcd wire protocol: each message is a 2-byte big-endian length and a payload; payloads of
one byte are controls (00 power off, 01 power on, 02 reset, 04 send the ATR), longer ones
are C-APDUs, answered with the R-APDU.  TCP_QUICKACK is set before every recv: vpcd writes
the length and the APDU in two sends without TCP_NODELAY, and a delayed ACK would cost
~40 ms per APDU.

Standard library only, so Debian's /usr/bin/python3 runs it.  Tests/VirtualCard/selftest.py
checks it without pcscd.
"""

import argparse
import hashlib
import json
import os
import select
import signal
import socket
import struct
import sys
import time
from pathlib import Path

# The repository root: relative paths in a control file are taken from here.
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "cards"

JPKI_AID = bytes.fromhex("D392F000260100000001")
KENHOJO_AID = bytes.fromhex("D3921000310001010408")
KENKAKU_AID = bytes.fromhex("D3921000310001010402")
JUKI_AID = bytes.fromhex("D3921000310001010100")

# A contact ATR from OpenSC's table.  Madoguchi never decides anything from the ATR.
DEFAULT_ATR = bytes.fromhex("3BE000FF8131FE4514")

TOKENS = {
    "myNumberCard": b"JPKIAPICCTOKEN2".ljust(20, b" "),
    "juki": b"JPKIAPICCTOKEN".ljust(20, b" "),
}
CARD_TYPES = ("myNumberCard", "juki", "other")

# The 4-digit PINs allow 3 tries, the signing password 5.
PIN_MAX_TRIES = 3
SIGN_PASSWORD_MAX_TRIES = 5

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_INCOMPATIBLE_FILE = b"\x69\x81"
SW_SECURITY = b"\x69\x82"
SW_BLOCKED = b"\x69\x83"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_FUNCTION_NOT_SUPPORTED = b"\x6a\x81"
SW_NOT_FOUND = b"\x6a\x82"
SW_WRONG_P1P2 = b"\x6a\x86"
SW_WRONG_OFFSET = b"\x6b\x00"
SW_INS = b"\x6d\x00"
SW_CLA = b"\x6e\x00"


def sw_tries(tries: int) -> bytes:
    return bytes([0x63, 0xC0 | tries])


# ---------------------------------------------------------------- TLV

def encode_length(n: int, form: str | None = None) -> bytes:
    """BER length: the shortest form that fits, or the forced form "81"/"82" if it fits."""
    if not 0 <= n <= 0xFFFF:
        raise ValueError(f"length {n} does not fit in two bytes")
    if form == "82" or n > 0xFF:
        return bytes([0x82, n >> 8, n & 0xFF])
    if form == "81" or n >= 0x80:
        return bytes([0x81, n])
    return bytes([n])


def tlv(tag: bytes, value: bytes, form: str | None = None, declared: int | None = None) -> bytes:
    """Tag, length (the value's, or `declared` to corrupt it on purpose) and value."""
    return tag + encode_length(len(value) if declared is None else declared, form) + value


BASIC_FOUR_TAGS = ("DF22", "DF23", "DF24", "DF25")


def basic_four(name: str, address: str, birth: str, sex: str, length_form: str | None = None,
               field_order: list | None = None, malformed: str | None = None) -> tuple[bytes, bytes]:
    """Kenhojo EF 0002 and the part of it EF 0003 hashes.

    FF20 { DF21 08 <offsets of DF22..DF25 from the start of the EF>, then DF22 name,
    DF23 address, DF24 birth and DF25 sex in `field_order` }.  `length_form` forces the
    length form of FF20 and every DF2x; `malformed` corrupts the result on purpose.
    """
    values = {
        "DF22": name.encode("utf-8"),
        "DF23": address.encode("utf-8"),
        "DF24": birth.encode("utf-8"),
        "DF25": sex.encode("utf-8"),
    }
    order = list(field_order or BASIC_FOUR_TAGS)
    fields = {}
    for tag in order:
        declared = None
        if malformed == "badLength" and tag == order[-1]:
            # The last field claims 64 bytes more than FF20 (and the EF) hold.
            declared = len(values[tag]) + 0x40
        fields[tag] = tlv(bytes.fromhex(tag), values[tag], length_form, declared)
    df21_size = len(tlv(b"\xdf\x21", bytes(8), length_form))
    body_size = df21_size + sum(len(f) for f in fields.values())
    # "truncated": FF20 claims 32 bytes more than the EF holds.
    declared_size = body_size + (0x20 if malformed == "truncated" else 0)
    header = b"\xff\x20" + encode_length(declared_size, length_form)
    ef_size = len(header) + body_size
    offsets, position = {}, len(header) + df21_size
    for tag in order:
        offsets[tag] = position
        position += len(fields[tag])
    if malformed == "badOffsets":
        # Every offset points at or past the end of the EF.
        offsets = {tag: ef_size + 8 * i for i, tag in enumerate(BASIC_FOUR_TAGS)}
    df21 = tlv(b"\xdf\x21", b"".join(struct.pack(">H", offsets[t]) for t in BASIC_FOUR_TAGS), length_form)
    body = b"".join(fields[t] for t in order)
    return header + df21 + body, body


def filler(label: str, size: int) -> bytes:
    """Deterministic stand-in bytes (keys, signatures): not real key material, not verifiable."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"madoguchi-virtual-card:{label}:{counter}".encode()).digest()
        counter += 1
    return out[:size]


def kenhojo_hashes(my_number: str, basic_four_body: bytes) -> bytes:
    """EF 0003: FF30 { DF31 SHA-256 of the My Number, DF32 SHA-256 of the basic 4, DF33 signature }.

    What a real card hashes is not confirmed; the signature is filler.
    """
    return tlv(b"\xff\x30",
               tlv(b"\xdf\x31", hashlib.sha256(my_number.encode("ascii")).digest())
               + tlv(b"\xdf\x32", hashlib.sha256(basic_four_body).digest())
               + tlv(b"\xdf\x33", filler("kenhojo-signature", 256)))


def intermediate_certificate(label: str) -> bytes:
    """EF 0004: 7F21 { 5F4E issuer id | subject id | TLV(e) TLV(n), 5F37 signature } (568 bytes).

    The layout follows public readers; the tags of e and n are not confirmed and every byte
    is filler.
    """
    modulus = bytes([0x80 | filler(label + "-n", 1)[0]]) + filler(label + "-n", 256)[1:]
    contents = (filler(label + "-issuer", 16) + filler(label + "-subject", 16)
                + tlv(b"\x82", b"\x01\x00\x01") + tlv(b"\x81", modulus))
    return tlv(b"\x7f\x21", tlv(b"\x5f\x4e", contents) + tlv(b"\x5f\x37", filler(label + "-signature", 256)))


# ---------------------------------------------------------------- files

FREE = "free"    # readable by anyone
NEVER = "never"  # selectable, never readable here (keys, the signing side): 6982


class DataEF:
    """A transparent EF; `access` is FREE, NEVER or the FID of the PIN EF that unlocks it."""

    def __init__(self, content: bytes, access):
        self.content = content
        self.access = access


class PinEF:
    """A PIN EF with its retry counter."""

    def __init__(self, secret: str | None, tries: int, max_tries: int):
        self.secret = None if secret is None else secret.encode("utf-8")
        self.tries = tries
        self.max_tries = max_tries


def read_file(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def repo_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def load_profile(path: Path) -> dict:
    """Reads and checks a profile; raises ValueError with a sentence (never a value)."""
    try:
        with open(path, encoding="utf-8") as f:
            profile = json.load(f)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read profile {path}: {error}") from None
    if not isinstance(profile, dict):
        raise ValueError(f"profile {path} is not a JSON object")
    card_type = profile.setdefault("cardType", "myNumberCard")
    if card_type not in CARD_TYPES:
        raise ValueError(f"profile {path}: cardType must be one of {', '.join(CARD_TYPES)}")
    needed = {"myNumberCard": ("name", "address", "birth", "sex", "pin"), "juki": (), "other": ()}
    for key in needed[card_type]:
        if not isinstance(profile.get(key), str):
            raise ValueError(f"profile {path}: missing or non-text key '{key}'")
    for key, maximum in (("pinTriesLeft", PIN_MAX_TRIES), ("authPinTriesLeft", PIN_MAX_TRIES),
                         ("pinBTriesLeft", PIN_MAX_TRIES),
                         ("signPasswordTriesLeft", SIGN_PASSWORD_MAX_TRIES)):
        value = profile.get(key, maximum)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
            raise ValueError(f"profile {path}: '{key}' must be a whole number from 0 to {maximum}")
    my_number = profile.get("myNumber", "123456789018")
    if not (isinstance(my_number, str) and len(my_number) == 12 and my_number.isdigit()):
        raise ValueError(f"profile {path}: 'myNumber' must be 12 digits")
    profile["myNumber"] = my_number
    try:
        profile["atr"] = bytes.fromhex(profile.get("atr", DEFAULT_ATR.hex()))
        for key, default in (("authCertificate", "Tests/Fixtures/cards/jpki-auth.der"),
                             ("authCACertificate", "Tests/Fixtures/cards/jpki-auth-ca.der")):
            profile[key] = read_file(repo_path(profile.get(key, default)))
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"profile {path}: {error}") from None
    return profile


def build_applications(profile: dict, settings: dict) -> dict:
    """The card's applications, {AID: {FID: DataEF | PinEF}}, with fresh PIN counters."""
    card_type = profile["cardType"]
    if card_type == "other":
        return {}

    def tries(key: str, maximum: int) -> int:
        """A counter's start: the control file's value, else the profile's, else the maximum."""
        value = settings.get(key)
        return profile.get(key, maximum) if value is None else value

    sign = PinEF(profile.get("signPassword"), tries("signPasswordTriesLeft", SIGN_PASSWORD_MAX_TRIES),
                 SIGN_PASSWORD_MAX_TRIES)
    jpki = {
        0x0006: DataEF(TOKENS[card_type], FREE),
        0x0001: DataEF(filler("sign-certificate", 1024), NEVER),
        0x0002: DataEF(filler("sign-ca-certificate", 1024), NEVER),
        0x001A: DataEF(b"", NEVER),
        0x001B: sign,
    }
    applications = {JPKI_AID: jpki, JUKI_AID: {}}
    if card_type == "juki":
        # Old 住基カード carried only the signing certificate: no auth certificate or PIN.
        return applications
    auth_pin = profile.get("authPin", profile["pin"])
    jpki.update({
        0x000A: DataEF(profile["authCertificate"], FREE),
        0x000B: DataEF(profile["authCACertificate"], FREE),
        0x0017: DataEF(b"", NEVER),
        0x0018: PinEF(auth_pin, tries("authPinTriesLeft", PIN_MAX_TRIES), PIN_MAX_TRIES),
    })
    ef0002, hashed = basic_four(profile["name"], profile["address"], profile["birth"], profile["sex"],
                                settings["lengthForm"], settings["fieldOrder"], settings["malformedTLV"])
    my_number = profile["myNumber"]
    applications[KENHOJO_AID] = {
        0x0001: DataEF(b"\xff\x10\x0c" + my_number.encode("ascii") + b"\xff\xff", 0x0011),
        0x0002: DataEF(ef0002, (0x0011, 0x0015)),  # the card-information PIN, or PIN B
        0x0003: DataEF(kenhojo_hashes(my_number, hashed), 0x0011),
        0x0004: DataEF(intermediate_certificate("kenhojo"), FREE),
        0x0005: DataEF(tlv(b"\xff\x40", tlv(b"\xdf\x41", b"\x00\x01\x00\x00")
                           + tlv(b"\xdf\x42", filler("kenhojo-key-id", 16))), FREE),
        0x0011: PinEF(profile["pin"], tries("pinTriesLeft", PIN_MAX_TRIES), PIN_MAX_TRIES),
        # PIN B: birth YYMMDD + the card's expiry year + the security code printed on it.
        0x0015: PinEF(pin_b(profile), tries("pinBTriesLeft", PIN_MAX_TRIES), PIN_MAX_TRIES),
    }
    applications[KENKAKU_AID] = {
        0x0002: DataEF(b"", NEVER),
        0x0004: DataEF(intermediate_certificate("kenkaku"), FREE),
    }
    return applications


# ---------------------------------------------------------------- control file

DEFAULT_SETTINGS = {
    "profile": None,           # path of the profile; None = the --profile one
    "shortReads": None,        # READ BINARY returns at most this many bytes
    "lengthForm": None,        # "short" | "81" | "82" for FF20 and every DF2x
    "fieldOrder": None,        # physical order of DF22..DF25 inside FF20
    "slot": 0,                 # 0: vpcd port, 1: port + 1 (the second reader)
    "pinTriesLeft": None,      # Kenhojo PIN counter when the file is applied
    "pinBTriesLeft": None,     # the PIN B counter (EF 0015) when the file is applied
    "authPinTriesLeft": None,  # JPKI auth PIN counter when the file is applied
    "delayMs": 0,              # sleep before each R-APDU
    "vanishAfter": None,       # the Nth C-APDU since insertion/set-up is not answered: card gone
    "malformedTLV": None,      # "truncated" | "badLength" | "badOffsets"
}


def check_settings(raw) -> dict:
    """Validates a control object; returns complete settings or raises ValueError."""
    if not isinstance(raw, dict):
        raise ValueError("the control file must hold a JSON object")
    settings = dict(DEFAULT_SETTINGS)
    for key, value in raw.items():
        if key == "comment":
            continue
        if key not in DEFAULT_SETTINGS:
            raise ValueError(f"unknown key '{key}'")
        if value is None:
            continue

        def whole(low, high=None):
            if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
                raise ValueError(f"'{key}' must be a whole number from {low}" + (f" to {high}" if high is not None else " up"))

        if key == "profile":
            if not isinstance(value, str) or not value:
                raise ValueError("'profile' must be a path")
        elif key == "shortReads":
            whole(0)
        elif key == "lengthForm":
            if value not in ("short", "81", "82"):
                raise ValueError("'lengthForm' must be \"short\", \"81\" or \"82\"")
        elif key == "fieldOrder":
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value) \
                    or sorted(t.upper() for t in value) != list(BASIC_FOUR_TAGS):
                raise ValueError("'fieldOrder' must list DF22, DF23, DF24 and DF25 once each")
            value = [t.upper() for t in value]
        elif key == "slot":
            whole(0, 1)
        elif key in ("pinTriesLeft", "authPinTriesLeft", "pinBTriesLeft"):
            whole(0, PIN_MAX_TRIES)
        elif key == "delayMs":
            whole(0, 60000)
        elif key == "vanishAfter":
            whole(1)
        elif key == "malformedTLV":
            if value not in ("truncated", "badLength", "badOffsets"):
                raise ValueError("'malformedTLV' must be \"truncated\", \"badLength\" or \"badOffsets\"")
        settings[key] = value
    return settings


def file_signature(path):
    """What tells a rewritten control file apart: None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# ---------------------------------------------------------------- the card

def parse_apdu_body(body: bytes):
    """(data, Le) of an APDU body after CLA INS P1 P2, short or extended; None if malformed.

    Le is None when absent; short Le 00 means 256, extended 0000 means 65536.
    """
    n = len(body)
    if n == 0:
        return b"", None
    if n == 1:
        return b"", body[0] or 256
    if body[0] == 0 and n >= 3:  # extended length
        if n == 3:
            return b"", ((body[1] << 8) | body[2]) or 65536
        lc = (body[1] << 8) | body[2]
        data, rest = body[3:3 + lc], body[3 + lc:]
        if lc == 0 or len(data) != lc or len(rest) not in (0, 2):
            return None
        return data, (((rest[0] << 8) | rest[1]) or 65536) if rest else None
    lc = body[0]
    data, rest = body[1:1 + lc], body[1 + lc:]
    if lc == 0 or len(data) != lc or len(rest) > 1:
        return None
    return data, (rest[0] or 256) if rest else None


def starts_session(apdu: bytes) -> bool:
    """SELECT by DF name: where every session with the card begins."""
    return len(apdu) >= 4 and apdu[0] == 0x00 and apdu[1] == 0xA4 and apdu[2] == 0x04


class VirtualMyNumberCard:
    """The card: its files, PIN counters and knobs, and the state of one power cycle."""

    def __init__(self, profile_path, control_path=None, report=None):
        self.default_profile = Path(profile_path)
        self.control_path = control_path
        self.report = report or (lambda message: print(f"virtual card: {message}", file=sys.stderr))
        self._control_signature = ()  # never equal to a real signature: the first read applies
        self.profile = None
        self.applications = {}
        self.generation = 0  # counts set-ups; vanishAfter counts C-APDUs from the latest
        self.configure(dict(DEFAULT_SETTINGS))  # raises if the --profile one is unusable
        self.refresh_control()
        self.reset()

    # -- knobs

    def configure(self, raw: dict):
        """Sets the card up afresh from a control object: profile, files, PIN counters.

        Raises ValueError (and changes nothing) when the object or its profile is unusable.
        """
        settings = check_settings(raw)
        path = repo_path(settings["profile"]) if settings["profile"] else self.default_profile
        profile = load_profile(path)
        self.applications = build_applications(profile, settings)
        self.profile, self.settings = profile, settings
        self.generation += 1
        self.reset()

    def refresh_control(self) -> bool:
        """Re-reads the control file; applies it when it changed since the last read."""
        if self.control_path is None:
            return False
        signature = file_signature(self.control_path)
        if signature == self._control_signature:
            return False
        self._control_signature = signature
        try:
            text = ""
            if signature is not None:
                with open(self.control_path, encoding="utf-8") as f:
                    text = f.read()
            self.configure(json.loads(text) if text.strip() else {})
        except (OSError, ValueError) as error:
            # Keep the previous set-up; a fixed file (new signature) is read again.
            self.report(f"control file {self.control_path} not applied: {error}")
            return False
        return True

    # -- power

    def reset(self):
        """Forgets the selection and every verified PIN (power off/on, reset)."""
        self.application = None
        self.ef = None
        self.verified = set()

    def power_on(self):
        self.refresh_control()
        self.reset()

    @property
    def atr(self) -> bytes:
        return self.profile["atr"]

    # -- commands

    def execute(self, apdu: bytes) -> bytes:
        """Answers one C-APDU with an R-APDU (data + SW)."""
        if starts_session(apdu):
            # Pick up a control file written since the last power-on: pcscd does not
            # power-cycle the card between every two connections.
            self.refresh_control()
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla != 0x00:
            return SW_CLA
        parsed = parse_apdu_body(apdu[4:])
        if ins not in (0xA4, 0x20, 0xB0):
            return SW_INS
        if parsed is None:
            return SW_WRONG_LENGTH
        data, le = parsed
        if ins == 0xA4:
            return self.select(p1, p2, data)
        if ins == 0x20:
            return self.verify(p1, p2, data)
        return self.read_binary(p1, p2, data, le)

    def select(self, p1: int, p2: int, data: bytes) -> bytes:
        if p1 == 0x04:  # by DF name
            if p2 not in (0x0C, 0x00):
                return SW_WRONG_P1P2
            if data not in self.applications:
                return SW_NOT_FOUND
            self.application, self.ef, self.verified = data, None, set()
            return SW_OK
        if p1 == 0x02:  # EF under the current DF
            if p2 != 0x0C:
                return SW_WRONG_P1P2
            if len(data) != 2:
                return SW_WRONG_LENGTH
            if self.application is None:
                return SW_NOT_FOUND
            fid = (data[0] << 8) | data[1]
            if fid not in self.applications[self.application]:
                return SW_NOT_FOUND
            self.ef = fid
            return SW_OK
        return SW_WRONG_P1P2

    def current(self):
        if self.application is None or self.ef is None:
            return None
        return self.applications[self.application][self.ef]

    def verify(self, p1: int, p2: int, data: bytes) -> bytes:
        if p1 != 0x00 or p2 != 0x80:
            return SW_WRONG_P1P2
        pin = self.current()
        if pin is None:
            return SW_NO_CURRENT_EF
        if not isinstance(pin, PinEF):
            return SW_INCOMPATIBLE_FILE
        if pin.tries == 0:
            return SW_BLOCKED if data else sw_tries(0)
        if not data:
            return sw_tries(pin.tries)
        if pin.secret is not None and data == pin.secret:
            pin.tries = pin.max_tries
            self.verified.add(self.ef)
            return SW_OK
        pin.tries -= 1
        self.verified.discard(self.ef)
        return sw_tries(pin.tries)

    def readable(self, ef) -> bool:
        """FREE, NEVER, one PIN EF, or a tuple of PIN EFs any one of which opens the file."""
        if ef.access == FREE:
            return True
        if ef.access == NEVER:
            return False
        keys = ef.access if isinstance(ef.access, tuple) else (ef.access,)
        return any(key in self.verified for key in keys)

    def read_binary(self, p1: int, p2: int, data: bytes, le) -> bytes:
        if p1 & 0x80:
            return SW_FUNCTION_NOT_SUPPORTED  # short EF identifiers are not offered
        if data:
            return SW_WRONG_LENGTH
        ef = self.current()
        if ef is None:
            return SW_NO_CURRENT_EF
        if isinstance(ef, PinEF):
            return SW_INCOMPATIBLE_FILE
        if not self.readable(ef):
            return SW_SECURITY
        offset = (p1 << 8) | p2
        if offset >= len(ef.content):
            return SW_WRONG_OFFSET
        count = 256 if le is None else le
        if self.settings["shortReads"] is not None:
            count = min(count, self.settings["shortReads"])
        return ef.content[offset:offset + count] + SW_OK


def pin_b(profile: dict) -> str | None:
    """PIN B of a profile: birth YYMMDD + cardExpiryYear + securityCode, when both are given."""
    year, code = profile.get("cardExpiryYear"), profile.get("securityCode")
    if year is None or code is None:
        return None
    return profile["birth"][2:] + year + code


def append_line(path: str | None, line: str):
    """Appends one line to the APDU log (opened each time: tests may truncate or delete it)."""
    if path:
        with open(path, "a", encoding="ascii") as f:
            f.write(line + "\n")


def control_error_reporter(log_path: str | None):
    def report(message: str):
        print(f"virtual card: {message}", file=sys.stderr, flush=True)
        append_line(log_path, f"# control error: {message}".encode("ascii", "replace").decode("ascii"))
    return report


def masked(apdu: bytes) -> str:
    """The C-APDU in hex for the log, with VERIFY data replaced by '*'."""
    if len(apdu) > 5 and apdu[1] == 0x20:
        return apdu[:5].hex().upper() + "*" * (2 * (len(apdu) - 5))
    return apdu.hex().upper()


# ---------------------------------------------------------------- vpcd connection

class Runner:
    """Keeps the card connected to vpcd, serves its messages and obeys the signals."""

    def __init__(self, card: VirtualMyNumberCard, host: str, port: int, log_path: str | None):
        self.card = card
        self.host = host
        self.base_port = port
        self.log_path = log_path
        self.sock = None
        self.present = True    # False after SIGUSR1 or a vanish, until SIGUSR2
        self.stopping = False
        self.events = []       # signals in arrival order, handled by the main loop
        self.apdus = 0         # C-APDUs since insertion or the latest set-up (vanishAfter)
        self.generation = card.generation
        # After the card leaves, stay away long enough for pcscd's presence poll (~0.4 s)
        # to see the reader empty: reconnecting sooner after a vanish mid-APDU leaves
        # vpcd's slot stuck, so the card would never appear again.
        self.not_before = 0.0
        card.report = control_error_reporter(log_path)

    def log(self, line: str):
        append_line(self.log_path, line)

    # -- socket

    def connect(self) -> bool:
        slot = self.card.settings["slot"]
        try:
            s = socket.create_connection((self.host, self.base_port + slot), timeout=1)
        except OSError:
            return False
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(None)
        self.sock = s
        self.apdus, self.generation = 0, self.card.generation
        self.card.reset()
        self.log(f"# inserted slot {slot}")
        return True

    def disconnect(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None
            self.card.reset()

    def recv_exact(self, n: int) -> bytes:
        chunks = b""
        while len(chunks) < n:
            # Linux clears TCP_QUICKACK by itself: set it again before every recv.
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
            if control == 0x00:    # power off
                self.card.reset()
            elif control in (0x01, 0x02):  # power on, reset
                self.card.power_on()
            elif control == 0x04:  # send the ATR
                self.send(self.card.atr)
            return
        if length == 0:
            return
        if starts_session(message):
            self.card.refresh_control()  # before counting: a new set-up counts from here
        if self.card.generation != self.generation:
            self.generation, self.apdus = self.card.generation, 0
        self.apdus += 1
        self.log(masked(message))
        vanish = self.card.settings["vanishAfter"]
        if vanish is not None and self.apdus >= vanish:
            self.log("# vanished")
            self.present = False
            self.not_before = time.monotonic() + 1.0
            self.disconnect()
            return
        response = self.card.execute(message)
        if self.card.settings["delayMs"]:
            time.sleep(self.card.settings["delayMs"] / 1000)
        self.log("# R " + response[-2:].hex().upper())  # the SW only: data is personal
        self.send(response)

    # -- main loop

    def handle_events(self):
        while self.events:
            event = self.events.pop(0)
            if event == "remove":
                if self.present:
                    self.log("# removed")
                self.present = False
                self.disconnect()
            elif event == "insert":
                self.card.refresh_control()
                self.present = True
            elif event == "stop":
                self.stopping = True

    def run(self):
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        signal.set_wakeup_fd(wake_w.fileno(), warn_on_full_buffer=False)
        # A parent may have started us with these signals blocked (threads of a test runner
        # often block them, and children inherit the mask): unblock them, or the card would
        # never leave or come back.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM, signal.SIGINT})
        for signum, event in ((signal.SIGUSR1, "remove"), (signal.SIGUSR2, "insert"),
                              (signal.SIGTERM, "stop"), (signal.SIGINT, "stop")):
            signal.signal(signum, lambda *_, event=event: self.events.append(event))

        def wait(timeout):
            ready, _, _ = select.select([wake_r], [], [], timeout)
            if ready:
                drain()

        def drain():
            try:
                while wake_r.recv(64):
                    pass
            except BlockingIOError:
                pass

        while True:
            self.handle_events()
            if self.stopping:
                break
            if not self.present:
                wait(1.0)
                continue
            if self.sock is None and time.monotonic() < self.not_before:
                wait(self.not_before - time.monotonic())
                continue
            if self.sock is None:
                self.card.refresh_control()  # a reconnection may move the card to another slot
                if not self.connect():
                    wait(0.2)
                    continue
            try:
                ready, _, _ = select.select([self.sock, wake_r], [], [], 1.0)
                if wake_r in ready:
                    drain()
                if self.sock in ready:
                    self.serve_one()
            except (OSError, ConnectionError, ValueError):
                self.log("# connection lost")
                self.disconnect()
                wait(0.2)
        self.disconnect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="vpcd's port for slot 0 (slot 1 is port + 1)")
    parser.add_argument("--profile", required=True, help="JSON profile of a fictional resident")
    parser.add_argument("--control", help="JSON control file with test knobs (may be absent)")
    parser.add_argument("--log", help="append each C-APDU in hex and its SW here (VERIFY data masked)")
    args = parser.parse_args()
    try:
        card = VirtualMyNumberCard(args.profile, args.control, report=control_error_reporter(args.log))
    except ValueError as error:
        print(f"virtual card: {error}", file=sys.stderr)
        return 2
    Runner(card, args.host, args.port, args.log).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
