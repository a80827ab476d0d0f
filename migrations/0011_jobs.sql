-- 0011_jobs: written with its module (issue 12).
select 1;
