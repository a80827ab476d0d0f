-- 0012_live_events: written with its module (issue 12).
select 1;
