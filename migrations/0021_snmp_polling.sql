-- 0021_snmp_polling: filled by its owner (issue 15)
SELECT 1;
