#!/usr/bin/env python3
"""Benchmarks/daemon/measure.py — the daemon's figures for `make bench`, each beside a
reference measured in the same run.

  ready  cold start of `madoguchid` to READY=1 on $NOTIFY_SOCKET (median of RUNS), beside
         `systemd-notify --ready` (a C program's exec and one datagram); target 150 ms.
  pss    the daemon's proportional set size (/proc/PID/smaps_rollup) while it holds the
         welcome screen in a terminal, beside a python3 interpreter doing nothing; target
         40 MiB (a Chromium kiosk showing a comparable screen holds about 400 MiB).
  card   the card placed on the reader -> the PIN pad drawn (median of CARDS), beside the
         card placed -> a polling `madoguchi card status` reading the same status (pcscd
         noticing the card and a whole status read, without a daemon).

Usage: measure.py BIN_DIR ROOT  (services up: scripts/services up; reads .build/services/env)
"""
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

BIN, ROOT = sys.argv[1], sys.argv[2]
RUNS = int(os.environ.get("RUNS", "21"))
CARDS = int(os.environ.get("CARDS", "9"))


def services_env():
    values = {}
    with open(os.path.join(ROOT, ".build/services/env"), encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            values[key] = value.strip("'")
    return values


ENV = services_env()
work = tempfile.mkdtemp(prefix="madoguchi-bench-")
os.chmod(work, 0o700)
subprocess.run([f"{BIN}/madoguchi", "keys", "init", "--file", f"{work}/outbox.key", "--lang", "en"], check=True, stdout=subprocess.DEVNULL)
config = f"{work}/madoguchi.toml"
with open(config, "w", encoding="utf-8") as f:
    f.write(f"""[kiosk]
id = "kasumi-bench-01"
forms = ["okuyami"]
formsDirectory = "{ROOT}/Tests/Fixtures/forms"
stateDirectory = "{work}"

[display]
renderer = "terminal"

[reader]
match = "{ENV['MADOGUCHI_TEST_READER']}"
allowVirtual = true

[printer]
cupsServer = "{ENV['CUPS_SERVER']}"

[printer.a4]
queue = "{ENV['MADOGUCHI_TEST_PRINTER']}"

[outbox]
path = "{work}/outbox.sqlite"
keyFile = "{work}/outbox.key"

[metrics]
enabled = false

[staff]
enabled = false
""")


def until_ready(command):
    """Milliseconds from starting `command` in a terminal (a tmux pane, as the daemon draws in
    one here) to READY=1 on a fresh notify socket; then the pane is closed."""
    path = f"{work}/notify-{time.monotonic_ns()}.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(15)
    line = f"NOTIFY_SOCKET={path} MADOGUCHI_CONTROL_SOCKET={work}/control.sock exec " + " ".join(shlex.quote(part) for part in command)
    start = time.monotonic()
    pane = Pane(line + f" 2>>{work}/daemon.log")
    try:
        while True:
            message = listener.recv(4096).decode()
            if "READY=1" in message.split("\n"):
                return (time.monotonic() - start) * 1000
    except TimeoutError:
        raise SystemExit(f"bench: no READY=1 from {command[0]}; see {work}/daemon.log")
    finally:
        pane.close()
        listener.close()
        os.unlink(path)


class Pane:
    """The daemon in a private tmux server, so it holds a screen as on a kiosk."""

    def __init__(self, command):
        self.socket = f"madoguchi-bench-{os.getpid()}-{time.monotonic_ns()}"
        self.tmux("new-session", "-d", "-x", "100", "-y", "36", command)

    def tmux(self, *arguments):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *arguments], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL).stdout

    def wait_for(self, marker, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.tmux("capture-pane", "-p"):
                return time.monotonic()
            time.sleep(0.005)
        raise SystemExit(f"bench: the daemon never showed {marker!r}; see {work}/daemon.log")

    def pid(self):
        return int(self.tmux("display-message", "-p", "#{pane_pid}").strip())

    def close(self):
        pid = None
        try:
            pid = self.pid()
        except ValueError:
            pass
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.05)
            except ProcessLookupError:
                pass
        self.tmux("kill-server")


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def ratio(a, b):
    return f"{a / b:.1f}" if b else "-"


daemon = [f"{BIN}/madoguchid", "--config", config]

# ready
# systemd-notify comes with systemd; a machine without it gets the same datagram from python3.
notify = ["systemd-notify", "--ready"] if shutil.which("systemd-notify") else [
    "python3", "-c", "import os, socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'READY=1', os.environ['NOTIFY_SOCKET'])"]
reference = statistics.median(until_ready(notify) for _ in range(RUNS))
ready = statistics.median(until_ready(daemon) for _ in range(RUNS))
print(f"bench: daemon (median of {RUNS} cold starts, {CARDS} cards)")
print(f"{'reference: ' + ' '.join(notify[:2]) if notify[0] == 'systemd-notify' else 'reference: python3 sending READY=1':40} {reference:8.2f} ms")
print(f"{'madoguchid start to READY=1':40} {ready:8.2f} ms   {ratio(ready, reference):>6}x reference   {ratio(ready, 150)}x the 150 ms target")

# pss, then card -> PIN pad, with the daemon holding its screen
card_pid = int(ENV["MADOGUCHI_TEST_CARD_PID"])
pane = Pane(f"MADOGUCHI_CONTROL_SOCKET={work}/control.sock exec " + " ".join(shlex.quote(part) for part in daemon) + f" 2>>{work}/daemon.log")
try:
    pane.wait_for("同意してはじめる")
    time.sleep(1)
    idle = subprocess.Popen(["python3", "-c", "import time; time.sleep(30)"])
    time.sleep(0.5)
    reference_kib = pss_kib(idle.pid)
    idle.kill()
    daemon_kib = pss_kib(pane.pid())
    print(f"{'reference: python3 doing nothing (PSS)':40} {reference_kib / 1024:8.1f} MiB")
    print(f"{'madoguchid holding a screen (PSS)':40} {daemon_kib / 1024:8.1f} MiB   {ratio(daemon_kib, reference_kib):>6}x reference   "
          f"{ratio(daemon_kib, 40 * 1024)}x the 40 MiB target")

    def card_present():
        """What the daemon believes, asked through its control socket."""
        answer = subprocess.run([f"{BIN}/madoguchi", "status", "--json"], capture_output=True, text=True,
                                env=dict(os.environ, MADOGUCHI_CONTROL_SOCKET=f"{work}/control.sock"))
        return json.loads(answer.stdout or "{}").get("reader", {}).get("cardPresent")

    samples = []
    for _ in range(CARDS):
        os.kill(card_pid, signal.SIGUSR1)  # the card leaves; the session ends
        deadline = time.monotonic() + 10
        while card_present() is not False:
            if time.monotonic() > deadline:
                raise SystemExit("bench: the daemon never saw the card leave")
            time.sleep(0.02)
        time.sleep(0.5)  # as for the reference below
        pane.wait_for("同意してはじめる")
        pane.tmux("send-keys", "Enter")  # consent: "place your card"
        pane.wait_for("カードを置いて")
        start = time.monotonic()
        os.kill(card_pid, signal.SIGUSR2)
        samples.append((pane.wait_for("暗証番号") - start) * 1000)
        pane.tmux("send-keys", "Escape")
finally:
    pane.close()
    os.kill(card_pid, signal.SIGUSR2)
# The reference: the same card placed, polled with one-shot `madoguchi card status`
# until it reads (pcscd noticing the card, plus a whole status read).
def reads():
    answer = subprocess.run([f"{BIN}/madoguchi", "card", "status", "--json"], capture_output=True, text=True)
    try:
        return json.loads(answer.stdout).get("card") is not None
    except ValueError:
        return False


time.sleep(1)
status = []
for _ in range(CARDS):
    os.kill(card_pid, signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while reads():
        if time.monotonic() > deadline:
            raise SystemExit("bench: `madoguchi card status` still reads a card that was taken off")
        time.sleep(0.01)
    time.sleep(0.5)  # the virtual card finishes leaving before it is put back
    start = time.monotonic()
    os.kill(card_pid, signal.SIGUSR2)
    while not reads():
        if time.monotonic() - start > 10:
            raise SystemExit("bench: `madoguchi card status` never read the card put back")
    status.append((time.monotonic() - start) * 1000)
reference_card = statistics.median(status)
card = statistics.median(samples)
print(f"{'reference: card placed -> card status':40} {reference_card:8.2f} ms")
print(f"{'card placed -> PIN pad drawn':40} {card:8.2f} ms   {ratio(card, reference_card):>6}x reference")
