-- 0008 the security log as the organisation follows it up (PostgreSQL
-- dialect of sqlite/0008_audit_record.sql, which says why).
CREATE INDEX audit_event_record ON audit_event(org_id, entity, entity_id, seq);

ALTER TABLE organisation ADD COLUMN log_followup_by TEXT;
ALTER TABLE organisation ADD COLUMN log_followup_days bigint;
ALTER TABLE organisation ADD COLUMN log_retention_years bigint;
