-- 0013_operational_settings: written with its module (issue 12).
select 1;
