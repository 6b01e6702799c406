"""Real Syncthing daemons for the integration tests, on loopback only.

    pair(root, folder_id, ...)   two configured daemons (not started) sharing one folder
    Daemon.start / stop / kill   run one; stop is terminate, then kill; kill is SIGKILL
    listening(pid)               the addresses a process listens on (from /proc)

Each daemon has its own home (config, keys, database, log) under `root`, its GUI/REST on
127.0.0.1 at a free port with its own API key, and its sync listener on
tcp://127.0.0.1:<free port> only. Global and local discovery, relays, NAT traversal,
usage and crash reporting, the browser and upgrades are off; each knows the other by
that one address. The shared folder rescans often and uses the file-system watcher.
Every wait has a timeout and says what it was waiting for, with the daemon's log tail.
"""

from __future__ import annotations

import contextlib
import copy
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BINARY = shutil.which("syncthing")
TEMP_PREFIX = ".syncthing."
"""Syncthing pulls a file into `.syncthing.<name>.tmp` and renames it when complete."""

OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "urAccepted": "-1",
    "crashReportingEnabled": "false",
    "startBrowser": "false",
    "autoUpgradeIntervalH": "0",
    "reconnectionIntervalS": "1",
    "setLowPriority": "false",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], within: float,
             why: Callable[[], str] = lambda: "") -> None:
    """Poll `ready` until it holds; after `within` seconds fail, saying `what`."""
    deadline = time.monotonic() + within
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:g} s waiting for {what}\n{why()}")
        time.sleep(0.1)


@dataclass
class Daemon:
    name: str
    home: Path
    folder: Path
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    proc: subprocess.Popen[bytes] | None = None

    @property
    def config(self) -> Path:
        return self.home / "config.xml"

    @property
    def log(self) -> Path:
        return self.home / "syncthing.log"

    def generate(self) -> None:
        """Keys and a config.xml, as `syncthing generate` makes them; our device id."""
        assert BINARY is not None
        subprocess.run([BINARY, "generate", f"--home={self.home}", "--no-default-folder",
                        "--skip-port-probing"], env=self._env(), check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        device = ET.parse(self.config).getroot().find("device")
        assert device is not None
        self.device_id = device.attrib["id"]

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ST", "COACHDESK_"))}
        # STMONITORED: run the daemon itself, not a monitor that restarts it as a child
        # (a SIGKILL to the monitor would leave that child running).
        env.update(HOME=str(self.home), STNODEFAULTFOLDER="1", STNOUPGRADE="1",
                   STNORESTART="1", STMONITORED="1")
        return env

    def start(self, within: float = 20) -> None:
        assert BINARY is not None and self.proc is None
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [BINARY, "serve", f"--home={self.home}", "--no-browser", "--no-restart",
                 "--no-upgrade", "--logflags=2"],
                env=self._env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for(f"{self.name}'s Syncthing to answer on 127.0.0.1:{self.gui_port}",
                 self._answers, within, self.tail)

    def _answers(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            raise AssertionError(f"{self.name}'s Syncthing exited\n{self.tail()}")
        try:
            return bool(self.rest("/rest/system/ping") == {"ping": "pong"})
        except (OSError, ValueError):
            return False

    def rest(self, path: str) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}",
                                         headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.loads(answer.read())

    def connected_to(self, other: Daemon) -> bool:
        try:
            found = self.rest("/rest/system/connections")["connections"].get(other.device_id, {})
        except (OSError, ValueError):
            return False
        return bool(found.get("connected"))

    def stop(self) -> None:
        """Terminate, then kill if it does not go within 10 s; never leaves it running."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything (a crash, a pulled plug)."""
        assert self.proc is not None
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return f"({self.name}: no log)"
        return f"--- {self.name}'s Syncthing log (tail) ---\n" + "\n".join(
            text.splitlines()[-lines:])


def _set(parent: ET.Element, tag: str, value: str) -> None:
    for old in parent.findall(tag):
        parent.remove(old)
    ET.SubElement(parent, tag).text = value


def configure(daemon: Daemon, peer: Daemon, folder_id: str, *, rescan_s: int = 5,
              max_recv_kib: int = 0) -> None:
    """Write `daemon`'s config.xml: loopback only, `peer` known at its one address, the
    folder shared with it. `max_recv_kib` (KiB/s, 0 = none) slows what it receives,
    loopback included, so that a test can catch a transfer in the middle."""
    tree = ET.parse(daemon.config)
    root = tree.getroot()
    gui = root.find("gui")
    options = root.find("options")
    defaults = root.find("defaults")
    assert gui is not None and options is not None and defaults is not None
    gui.set("tls", "false")
    _set(gui, "address", f"127.0.0.1:{daemon.gui_port}")
    _set(gui, "apikey", daemon.api_key)
    _set(options, "listenAddress", f"tcp://127.0.0.1:{daemon.listen_port}")
    for key, value in OPTIONS.items():
        _set(options, key, value)
    if max_recv_kib:
        _set(options, "maxRecvKbps", str(max_recv_kib))
        _set(options, "limitBandwidthInLan", "true")
    device_defaults, folder_defaults = defaults.find("device"), defaults.find("folder")
    assert device_defaults is not None and folder_defaults is not None
    device = copy.deepcopy(device_defaults)
    device.set("id", peer.device_id)
    device.set("name", peer.name)
    _set(device, "address", f"tcp://127.0.0.1:{peer.listen_port}")
    root.append(device)
    folder = copy.deepcopy(folder_defaults)
    folder.attrib.update(id=folder_id, label=folder_id, path=str(daemon.folder),
                         rescanIntervalS=str(rescan_s), fsWatcherEnabled="true",
                         fsWatcherDelayS="1")
    for member in folder.findall("device"):
        folder.remove(member)
    for member_id in (daemon.device_id, peer.device_id):
        ET.SubElement(folder, "device", id=member_id, introducedBy="")
    root.insert(0, folder)
    tree.write(daemon.config, encoding="unicode")
    daemon.folder.mkdir(parents=True, exist_ok=True)
    (daemon.folder / ".stfolder").mkdir(exist_ok=True)
    # The README's layout: our own half-written files (`.*.tmp`) never travel.
    (daemon.folder / ".stignore").write_text(".*.tmp\n")


def pair(root: Path, folder_id: str, names: tuple[str, str], **how: Any) -> tuple[Daemon, Daemon]:
    """Two daemons (not started) sharing `folder_id`, each in `root/<name>` with the
    folder at `root/<name>-sync`. `how` goes to configure() for both."""
    one, two = (Daemon(name, root / f"syncthing-{name}", root / f"{name}-sync") for name in names)
    for daemon in (one, two):
        daemon.generate()
    configure(one, two, folder_id, **how)
    configure(two, one, folder_id, **how)
    return one, two


# ---- what a process listens on ---------------------------------------------------------


def _address(hex_address: str) -> tuple[str, int]:
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    # /proc/net prints the address as 32-bit words in host (little-endian) order.
    ordered = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(ordered)), int(port, 16)


def listening(pid: int) -> list[tuple[str, str, int]]:
    """(protocol, address, port) of every TCP socket in LISTEN and every bound,
    unconnected UDP socket the process holds (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = []
    for proto, state in (("tcp", "0A"), ("tcp6", "0A"), ("udp", "07"), ("udp6", "07")):
        with contextlib.suppress(OSError), open(f"/proc/net/{proto}") as table:
            for row in list(table)[1:]:
                cols = row.split()
                if cols[3] == state and cols[9] in inodes:
                    found.append((proto, *_address(cols[1])))
    return found
