-- 0033 the open incidents by severity (issue 14): the coordinator's
-- overview summed incident_month_stat's rows of state group 'open', but
-- the table's key starts with the month, so it read every row of the
-- organisation (90,000 at ten years of a large municipality's incidents)
-- to find the few hundred open ones.  This index reads only those.
CREATE INDEX incident_month_stat_state ON incident_month_stat(org_id, state_group, severity, n);
