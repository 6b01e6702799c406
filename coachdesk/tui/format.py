"""Formatting shared by several screens (plain functions, no widgets)."""

from __future__ import annotations


def short_time(iso: str) -> str:
    """'2026-03-01T14:05:09+00:00' -> '2026-03-01 14:05' (as stored, no conversion)."""
    return iso[:16].replace("T", " ")
