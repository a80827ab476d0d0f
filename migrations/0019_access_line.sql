-- 0019_access_line: filled by its owner (issue 15)
SELECT 1;
