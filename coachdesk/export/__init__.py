"""Printable exports: plans, incident summaries, reports. No Textual here."""
