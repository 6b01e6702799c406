"""Where the command line gets a passphrase, in this order:

    --passphrase-file F             a file (its first line)
    $COACHDESK_PASSPHRASE           the variable
    $COACHDESK_PASSPHRASE_COMMAND   a command that prints it (a password manager, as
                                    restic's password command): `pass show coachdesk`
    a prompt                        only on a terminal

Text from outside is checked to be UTF-8 here, before anything is opened.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shlex
import subprocess
import sys

from coachdesk.errors import CoachdeskError

MAX_SECRET_FILE = 64 * 1024
"""A passphrase or key file is read up to this many bytes (not /dev/zero forever)."""

PASSPHRASE_COMMAND = "COACHDESK_PASSPHRASE_COMMAND"


def utf8(value: str, what: str) -> str:
    """Text that came from outside (an argument, a variable, a file, the terminal) as
    valid UTF-8; Linux hands other bytes over as lone surrogates, which SQLite, files
    and the terminal would each fail on later."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise CoachdeskError(f"{what} is not valid UTF-8 text") from None
    return value


def _decode(data: bytes, what: str) -> str:
    if len(data) > MAX_SECRET_FILE:
        raise CoachdeskError(f"{what} is longer than {MAX_SECRET_FILE // 1024} KB: "
                             "not a passphrase or key file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CoachdeskError(f"{what} is not valid UTF-8 text") from None


def read_secret_file(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SECRET_FILE + 1)
    except OSError as exc:
        raise CoachdeskError(f"cannot read {path}: {exc.strerror}") from None
    return _decode(data, path).rstrip("\r\n")


def run_passphrase_command(command: str) -> str:
    """The first line the command prints (`pass show` prints more lines after it). It runs
    without a shell; it may prompt on the terminal (stdin and stderr are the user's)."""
    what = f"${PASSPHRASE_COMMAND}"
    try:
        argv = shlex.split(utf8(command, what))
    except ValueError as exc:
        raise CoachdeskError(f"{what} cannot be read as a command ({exc})") from None
    if not argv:
        raise CoachdeskError(f"{what} is empty")
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, check=False)
    except OSError as exc:
        raise CoachdeskError(f"{what}: cannot run {argv[0]} ({exc.strerror})") from None
    if done.returncode != 0:
        raise CoachdeskError(f"{what} failed (exit {done.returncode}): no passphrase")
    lines = _decode(done.stdout, f"what {what} printed").splitlines()
    if not lines or not lines[0]:
        raise CoachdeskError(f"{what} printed no passphrase")
    return lines[0]


def _given(args: argparse.Namespace, file_attr: str, env: str) -> str | None:
    """The secret from --FILE, else $ENV (and for the vault's passphrase, its command);
    None when none is given."""
    if getattr(args, file_attr, None):
        return read_secret_file(getattr(args, file_attr))
    if env in os.environ:
        return utf8(os.environ[env], f"${env}")
    if env == "COACHDESK_PASSPHRASE" and os.environ.get(PASSPHRASE_COMMAND):
        return run_passphrase_command(os.environ[PASSPHRASE_COMMAND])
    return None


def _prompt(prompt: str) -> str:
    return utf8(getpass.getpass(prompt), "what was typed")


def passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ") -> str:
    """The vault's passphrase: file, variable, command, else a prompt on a terminal."""
    given = _given(args, "passphrase_file", "COACHDESK_PASSPHRASE")
    if given is not None:
        return given
    if sys.stdin.isatty():
        return _prompt(prompt)
    raise CoachdeskError("no passphrase: set COACHDESK_PASSPHRASE or "
                         f"{PASSPHRASE_COMMAND}, or use --passphrase-file")


def new_passphrase(args: argparse.Namespace, env: str, file_attr: str) -> str:
    """A new passphrase from its file, variable (or command), or prompted twice."""
    given = _given(args, file_attr, env)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CoachdeskError(f"no new passphrase: set {env} or use --{file_attr.replace('_', '-')}")
    first = _prompt("New passphrase: ")
    if _prompt("Again: ") != first:
        raise CoachdeskError("the two passphrases differ")
    return first
