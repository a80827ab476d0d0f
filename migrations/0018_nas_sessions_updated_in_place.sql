-- Interims are most of the accounting traffic (issue 14, budget 10,000 records/s) and change only
-- a session's counters and last event time. With room left on each page and no index on
-- last_event_at, PostgreSQL updates such a row in place (a HOT update) instead of writing a new
-- entry into each of the table's indexes.
ALTER TABLE nas_sessions SET (fillfactor = 70);
--> statement-breakpoint
DROP INDEX nas_sessions_live_idx;
--> statement-breakpoint
-- The stale sweep reads a NAS's sessions still going on, then compares their last event times.
CREATE INDEX nas_sessions_going_on_idx ON nas_sessions (nas) WHERE state <> 'closed';
