"""The program's data files as the TUI reads them (issue 22): the funder, the billing rule
and the recovery lists, from assets/ and the agency's config folder. A file that does not
load is one line the screen shows; nothing is used from it."""

from __future__ import annotations

from coachdesk import config
from coachdesk.errors import CoachdeskError
from coachdesk.models.funder import Funder, funder
from coachdesk.models.program import RecoveryLists, recovery_lists


def program_files() -> tuple[Funder, RecoveryLists]:
    """The funder (the only one, or SAMHSA's when an agency adds more) and the lists."""
    base = config.config_dir()
    try:
        grant = funder(base / "funders")
    except CoachdeskError:
        grant = funder(base / "funders", "samhsa_suprt")
    return grant, recovery_lists(base / "program")
