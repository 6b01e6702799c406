"""Printable exports (Markdown, HTML). No Textual here; files are written only where asked."""
