"""Which record tables are derived from the op log, and the fields an op may set.

GENERATED from the pydantic models by `python -m coachdesk.models.synced`: do not edit
by hand (a test fails when this file differs from what the models say). Kept free of
pydantic so the op log (and start-up) stays light. The op log and bundle import accept
no other table or field. `APPEND_ONLY` tables get each row once, whole, and never an
edit op (their SQL tables refuse UPDATE and DELETE with triggers).
"""

SYNCED_RECORDS: dict[str, tuple[str, ...]] = {
    "participant": ("alias", "pronouns", "kind", "adult_confirmed", "pathway", "status",
                    "intake_date", "phone", "safety_flags", "preferences"),
    "resource": ("name", "kind", "address", "phone", "hours", "eligibility", "languages",
                 "last_verified"),
    "plan_revision": ("participant_id", "parent_id", "superseded", "plan", "created_at", "author"),
    "consent": ("participant_id", "recipient", "purpose", "information", "signed_on", "expires_on",
                "expiry_event", "revoked_on", "kinds"),
    "assessment": ("participant_id", "instrument", "version", "answers", "total", "taken_on"),
    "crisis_event": ("protocol_id", "protocol_version", "protocol_title", "participant_id",
                     "started_at", "started_by"),
    "crisis_step": ("event_id", "seq", "step_id", "kind", "label", "answer", "at"),
    "referral": ("participant_id", "resource_id", "referred_on", "status", "follow_up_on", "note",
                 "reason", "message_ok", "best_time"),
    "disclosure": ("participant_id", "consent_id", "what", "recipient", "purpose", "disclosed_on",
                   "author"),
    "note": ("participant_id", "occurred_at", "duration_min", "setting", "contact_type",
             "read_back", "template", "body", "status", "finalized_at", "author"),
    "addendum": ("note_id", "body", "at", "author"),
    "action_item": ("participant_id", "note_id", "text", "owner", "due", "done_at"),
    "checkin_schedule": ("participant_id", "label", "starts_on", "every", "unit", "times", "until",
                         "active", "stopped_on"),
    "checkin_attempt": ("participant_id", "schedule_id", "due_on", "at", "outcome", "note",
                        "note_id", "author"),
    "coach_profile": ("tags",),
    "handoff": ("participant_id", "from_coach", "to_coach", "note", "at"),
    "caseload": ("primary_coach", "secondary_coach"),
    "review_entry": ("note_id", "kind", "text", "at", "by", "author"),
    "supervision_session": ("coach", "held_on", "minutes", "format", "group_id", "topics",
                            "private_note", "author"),
    "supervision_item": ("coach", "session_id", "text", "due", "done_at"),
    "training_entry": ("coach", "taken_on", "title", "provider", "hours", "domain", "kind"),
    "selfcare_share": ("coach", "session_id", "summary", "shared_on"),
    "recovery_support": ("pathways", "referral_reason", "engagement", "engagement_on",
                         "engagement_reason", "no_shows", "naloxone_given", "ed_visits",
                         "living_situation", "supports"),
    "program_episode": ("participant_id", "started_on", "ended_on"),
    "funder_interview": ("participant_id", "funder", "episode_start", "interview", "status",
                         "on_date", "reason", "recorded_at", "author"),
    "person_merge": ("merged_id", "into_id", "reason", "at"),
}

APPEND_ONLY: frozenset[str] = frozenset({"plan_revision", "assessment", "crisis_event",
                                         "crisis_step", "disclosure", "addendum", "checkin_attempt",
                                         "handoff", "review_entry", "person_merge"})
