"""Imported values are checked as strictly as typed ones, before the vault is touched.

Every new op of a bundle is checked with the pydantic model its record is written with:
the field's type, limits and field validators, in strict JSON mode (an object is not a
name, a number is not a date). Checks that span a whole record (a consent's expiry after
its signing) are not applied per op: two devices' valid changes may merge into a record
that needs fixing, and that is shown, not refused.

Clocks: a bundle holding a change dated more than REFUSE_AHEAD_DAYS ahead of this
computer's clock is refused; a change dated up to that is kept with its date (so every
vault orders changes alike), but this vault's clock never moves more than
ADOPT_AHEAD_MS past its own wall clock (a wrong clock elsewhere does not drag it along).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError, create_model, field_validator

from coachdesk.store.chain import canonical_sql
from coachdesk.store.db import Connection, DatabaseError
from coachdesk.store.hlc import Timestamp
from coachdesk.store.oplog import DELETED

REFUSE_AHEAD_DAYS = 3660
"""About ten years: no real clock is that wrong by accident for long; 9999... is forged."""
ADOPT_AHEAD_MS = 86_400_000
"""One day: the most this vault's clock moves ahead of its own wall clock on import."""
MAX_ID = 100
MAX_AUTHOR = 200
MAX_PARENTS = 1000
MAX_TEXT = 200_000
"""The longest text of any field (a note body's limit); ids and authors are shorter."""
MAX_DEPTH = 16
"""Lists and objects nested this deep at most (a plan is 3; Python's parser stops near 1000)."""

_NEW = "NOT EXISTS (SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)"


class BadValue(ValueError):
    """One line naming the table and field: why the bundle is refused."""


def _models() -> dict[str, type[BaseModel]]:
    # The record models load when an import first checks values: start-up speed.
    from coachdesk.models.synced import SYNCED_MODELS

    return SYNCED_MODELS


def _plain(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        return func(value)
    return check


@functools.cache
def _field_model(tbl: str, field: str) -> type[BaseModel]:
    """A model of the one field, with its type, limits and field validators."""
    model = _models()[tbl]
    info = model.model_fields[field]
    validators = {
        # mode is the model's own (read at run time); pydantic's overloads want it literal
        name: field_validator(field, mode=dec.info.mode)(_plain(dec.func))  # type: ignore[type-var]
        for name, dec in model.__pydantic_decorators__.field_validators.items()
        if field in dec.info.fields or "*" in dec.info.fields
    }
    # create_model's overloads cannot see a field passed as **{name: (type, info)}
    return create_model(  # type: ignore[call-overload, no-any-return]
        f"{model.__name__}_{field}", __config__=model.model_config,
        __validators__=validators, **{field: (info.annotation, info)})


def check_value(tbl: str, field: str, raw: str) -> None:
    """Raise BadValue unless the JSON text `raw` is a value local code could have written:
    the field's validators accept it, and its JSON type is the type they give back (a
    number is no date, "yes" no yes/no answer; a list may come as its JSON text)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        value = None
    if value is None and raw.strip() != "null" or _too_deep(value):
        raise BadValue(f"{tbl}.{field}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str) and len(value) > _longest(field):
        raise BadValue(f"{tbl}.{field}: longer than {_longest(field):,} characters")
    if field == DELETED:
        if not isinstance(value, bool):
            raise BadValue(f"{tbl}.{field}: not true or false")
        return
    try:
        checked = _field_model(tbl, field).model_validate({field: value})
    except ValidationError as exc:
        problem = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise BadValue(f"{tbl}.{field}: {problem}") from None
    if not _same_kind(value, checked.model_dump(mode="json")[field]):
        raise BadValue(f"{tbl}.{field}: a value of the wrong kind")


def _longest(field: str) -> int:
    """The longest text any field may hold, whatever its model says (an id, an author
    and the longest note body are the bounds)."""
    if field.endswith("_id"):
        return MAX_ID
    if field in ("author", "started_by"):
        return MAX_AUTHOR
    return MAX_TEXT


def _too_deep(value: Any) -> bool:
    """Lists and objects nested deeper than MAX_DEPTH (no record holds more than a few)."""
    level = [value]
    for _ in range(MAX_DEPTH + 1):
        level = [v for x in level if isinstance(x, (list, dict))
                 for v in (x.values() if isinstance(x, dict) else x)]
        if not level:
            return False
    return True


def _same_kind(value: Any, checked: Any) -> bool:
    if isinstance(checked, bool):
        return isinstance(value, bool)
    if isinstance(checked, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(checked, str):
        return isinstance(value, str)
    if checked is None:
        return value is None or value == ""
    return isinstance(value, (list, dict, str))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def check_new_ops(conn: Connection, *, wall_ms: int | None = None) -> None:
    """Check every op of the attached `bundle` this vault does not hold yet (raises BadValue)."""
    try:
        _check_new_ops(conn, now_ms() if wall_ms is None else wall_ms)
    except DatabaseError as exc:
        if "decode" not in str(exc):  # Python could not read a text as UTF-8
            raise
        raise BadValue("a change holds text that is not valid UTF-8") from None


SHORT = 200
"""Values up to this long are checked once per (table, field, value): most repeat (a
status, a date, a coach's id); longer ones (note bodies) are checked each time."""


NEW_VALUE_COLUMNS = (
    f"b.tbl, b.field, CAST(b.value AS BLOB), b.hlc, length(b.row_id) > {MAX_ID} OR "
    f"length(b.device) > {MAX_ID} OR length(b.author) > {MAX_AUTHOR} OR "
    f"json_array_length(b.parents) > {MAX_PARENTS}")
"""What NewValues.add takes of an op of the attached bundle (`b`): its table, field, value
(as bytes: text that is not UTF-8 is named, not an error of the read), clock, and whether
an id, author or list of parents is too long."""


class NewValues:
    """The value checks of every op new to this vault, fed one op at a time: by the one
    read of the bundle that also takes its digest (sync/bundle.py), or by check_new_ops.
    The first problem of each kind is kept; `raise_first` raises them in their order:
    text that is not UTF-8, lengths, then dates, then values."""

    def __init__(self, wall_ms: int | None = None) -> None:
        wall = now_ms() if wall_ms is None else wall_ms
        self.limit = Timestamp(wall + REFUSE_AHEAD_DAYS * 86_400_000, 0).encode()
        self.undecodable = False
        self.too_long: str | None = None
        self.ahead: tuple[str, str] | None = None
        self.bad: BadValue | None = None
        self.checked: set[tuple[str, str, bytes]] = set()

    def add(self, tbl: str, field: str, raw: bytes, hlc: str, long: object,
            data: bytes) -> None:
        """One new op; `data` its canonical bytes (chain.canonical_sql: every text column of
        the op, each between ASCII marks, so they are all UTF-8 exactly when it is)."""
        if self.undecodable:
            return
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            self.undecodable = True
            return
        if long and self.too_long is None:
            self.too_long = f"{tbl}.{field}"
        if hlc > self.limit and (self.ahead is None or hlc > self.ahead[0]):
            self.ahead = (hlc, f"{tbl}.{field}")
        if self.bad is not None:
            return
        if len(raw) <= SHORT:
            if (tbl, field, raw) in self.checked:
                return
            self.checked.add((tbl, field, raw))
        try:
            check_value(tbl, field, raw.decode("utf-8"))
        except BadValue as exc:
            self.bad = exc

    def raise_first(self, conn: Connection) -> None:
        """Raise the first problem found (BadValue), if any; the bundle is still attached."""
        if self.undecodable:
            _name_undecodable(conn)
        if self.too_long:
            raise BadValue(f"{self.too_long}: an id, author or list of parents is too long")
        if self.ahead:
            raise BadValue(f"{self.ahead[1]}: a change is dated {_date(self.ahead[0])}, more "
                           "than ten years ahead of this computer's clock (check the date on "
                           "both computers)")
        if self.bad is not None:
            raise self.bad


def _check_new_ops(conn: Connection, wall: int) -> None:
    # One pass over the bundle (each pass decrypts every page of it again); an import
    # takes these checks in the read that takes the bundle's digest (NewValues).
    found = NewValues(wall)
    cursor = conn.execute(f"SELECT {NEW_VALUE_COLUMNS}, {canonical_sql('b')} FROM bundle.ops b "
                          f"WHERE {_NEW}")
    while rows := cursor.fetchmany(4096):
        for row in rows:
            found.add(*row)
    found.raise_first(conn)


def _name_undecodable(conn: Connection) -> None:
    """Which table.field holds text that is not UTF-8 (only once one was found)."""
    for tbl, field in conn.execute(f"SELECT DISTINCT tbl, field FROM bundle.ops b WHERE {_NEW}"
                                   ).fetchall():
        try:
            conn.execute(f"SELECT value FROM bundle.ops b WHERE tbl = ? AND field = ? AND {_NEW}",
                         (tbl, field)).fetchall()
        except DatabaseError as exc:
            if "decode" not in str(exc):
                raise
            raise BadValue(f"{tbl}.{field}: text that is not valid UTF-8") from None
    raise BadValue("a change holds text that is not valid UTF-8")


def _date(hlc: str) -> str:
    try:
        return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=Timestamp.decode(hlc).wall_ms)
                ).date().isoformat()
    except (ValueError, OverflowError):
        return "after the year 9999"


def adoptable(hlc: str, *, wall_ms: int | None = None) -> str:
    """The clock this vault may move to having seen `hlc`: at most a day past its own."""
    cap = Timestamp((now_ms() if wall_ms is None else wall_ms) + ADOPT_AHEAD_MS, 0).encode()
    return min(hlc, cap)
