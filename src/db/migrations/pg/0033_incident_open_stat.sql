-- 0033 the open incidents by severity (issue 14): see
-- sqlite/0033_incident_open_stat.sql.
CREATE INDEX incident_month_stat_state ON incident_month_stat(org_id, state_group, severity, n);
