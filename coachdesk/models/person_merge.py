"""Two records of one person, merged into one (issue 22): a synced, append-only record.

The merged-away record and everything that names it stay as they are in the op log (both
histories are kept); every vault reads them as the person they were merged into
(store/people.py). Ids only, so it is team-wide like the caseload.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PersonMerge(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    merged_id: str = Field(min_length=1, max_length=100)
    """The record that goes: it is read as `into_id` from now on."""
    into_id: str = Field(min_length=1, max_length=100)
    reason: str = Field("", max_length=300)
    at: dt.datetime

    @model_validator(mode="after")
    def _two_records(self) -> PersonMerge:
        if self.merged_id == self.into_id:
            raise ValueError("a person cannot be merged into themselves")
        return self
