"""Files shipped with coachdesk (data, not code): read them through coachdesk.shipped."""
