-- 0020_monitoring_alerts: filled by its owner (issue 15)
SELECT 1;
