"""Which record tables are derived from the op log, and the fields an op may set.

Kept free of pydantic so the op log (and start-up) stays light; a test checks that
each entry matches its pydantic model. The op log and bundle import accept no other
table or field. `APPEND_ONLY` tables get each row once, whole, and never an edit op
(their SQL tables refuse UPDATE and DELETE with triggers).
"""

SYNCED_RECORDS: dict[str, tuple[str, ...]] = {
    "participant": ("alias", "pronouns", "kind", "adult_confirmed", "pathway", "status",
                    "intake_date", "phone", "safety_flags"),
    "resource": ("name", "kind", "address", "phone", "hours", "eligibility", "languages",
                 "last_verified"),
}

APPEND_ONLY: frozenset[str] = frozenset()
