"""coachdesk: an offline, encrypted notebook for peer recovery coaches."""

__version__ = "0.1.0"
