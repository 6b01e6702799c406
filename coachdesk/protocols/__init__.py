"""Crisis protocols: data files (assets/protocols/*.toml), their checks, and a walker.

No Textual here: the TUI and the tests both drive `Walk`.
"""

from coachdesk.protocols.engine import ReplayError, Walk
from coachdesk.protocols.loader import Library, ProtocolError, load_all, load_file, protocols_dir
from coachdesk.protocols.model import NUMBERS, STEP_KINDS, InvalidAnswer, Protocol, Step

__all__ = [
    "NUMBERS",
    "STEP_KINDS",
    "InvalidAnswer",
    "Library",
    "Protocol",
    "ProtocolError",
    "ReplayError",
    "Step",
    "Walk",
    "load_all",
    "load_file",
    "protocols_dir",
]
