"""The core never imports Textual (checked in a fresh interpreter)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", [
    "coachdesk.store.vault", "coachdesk.store.participants", "coachdesk.store.oplog",
    "coachdesk.store.hlc", "coachdesk.models", "coachdesk.demo", "coachdesk.cli",
    "coachdesk.store.plans", "coachdesk.store.consents", "coachdesk.store.assessments",
    "coachdesk.models.plan_text", "coachdesk.export.plan",
    "coachdesk.protocols", "coachdesk.store.crisis", "coachdesk.export.incident",
    "coachdesk.demo_crisis",
    "coachdesk.store.referrals", "coachdesk.export.disclosure", "coachdesk.export.report",
    "coachdesk.store.resources", "coachdesk.sync.bundle", "coachdesk.sync.merge",
    "coachdesk.sync.service", "coachdesk.sync.conflicts",
    "coachdesk.store.notes", "coachdesk.store.action_items", "coachdesk.store.search",
    "coachdesk.models.note", "coachdesk.models.action_syntax", "coachdesk.demo_notes",
    "coachdesk.store.followups", "coachdesk.models.followup", "coachdesk.demo_followups",
    "coachdesk.store.plan_drafts", "coachdesk.store.addendum_drafts", "coachdesk.store.db",
])
def test_core_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; sys.exit(1 if 'textual' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
