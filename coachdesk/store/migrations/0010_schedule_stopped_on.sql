-- 0010: the day a check-in schedule was stopped. A stopped schedule has no due dates
-- from that day on, so the share reached and the monthly report stop counting it.
-- Schedules stopped before this column have no day: they count as before (up to today).
ALTER TABLE checkin_schedule ADD COLUMN stopped_on TEXT NOT NULL DEFAULT '';
