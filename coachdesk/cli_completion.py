"""Shell completion, generated from the parser itself by shtab (so it never goes stale):
`coachdesk completion bash|zsh|tcsh`. shtab is imported only by this command."""

from __future__ import annotations

import argparse


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    import shtab

    text: str = shtab.complete(parser, shell=shell)
    return text if text.endswith("\n") else text + "\n"
