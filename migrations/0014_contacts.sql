-- 0014_contacts: written with its module (issue 12).
select 1;
