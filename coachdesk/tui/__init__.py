"""The Textual app: screens, widgets, one stylesheet. Holds no SQL."""
