"""A service in the offline resource directory (harm reduction, detox, housing, ...)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ResourceKind(StrEnum):
    HARM_REDUCTION = "harm_reduction"
    DETOX = "detox"
    TREATMENT = "treatment"
    MOUD = "moud"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    EMPLOYMENT = "employment"
    MUTUAL_HELP = "mutual_help"
    OTHER = "other"


KIND_LABELS: dict[ResourceKind, str] = {
    ResourceKind.HARM_REDUCTION: "harm reduction",
    ResourceKind.DETOX: "detox / withdrawal",
    ResourceKind.TREATMENT: "treatment",
    ResourceKind.MOUD: "medication (MOUD)",
    ResourceKind.MENTAL_HEALTH: "mental health",
    ResourceKind.HOUSING: "housing",
    ResourceKind.EMPLOYMENT: "jobs / employment",
    ResourceKind.MUTUAL_HELP: "mutual help",
    ResourceKind.OTHER: "other",
}


class Resource(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    kind: ResourceKind
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    hours: str = Field("", max_length=120)
    eligibility: str = Field("", max_length=300)
    languages: str = Field("", max_length=120)
    last_verified: dt.date | None = None

    @field_validator("last_verified", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    def key(self) -> tuple[str, str]:
        """What makes two rows the same service (so importing twice adds nothing)."""
        return (" ".join(self.name.lower().split()), " ".join(self.address.lower().split()))
