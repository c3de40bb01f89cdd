-- 0008 the security log as the organisation follows it up (R-17-05,
-- R-17-06, R-17-07; web/pages_audit.c).
--
-- A record's history at scale: the audit trail of one record and of the
-- records linked to it (a system's dependencies, roles, information),
-- newest first, is an index lookup per register instead of a walk back
-- through the organisation's whole trail.
CREATE INDEX audit_event_record ON audit_event(org_id, entity, entity_id, seq);

-- Who follows up Värn's own logs and how often, and how long they are
-- kept (the organisation's decision; Värn removes no entry at all).  Each
-- follow-up done is an audit event "log_followup" on the organisation.
ALTER TABLE organisation ADD COLUMN log_followup_by TEXT;
ALTER TABLE organisation ADD COLUMN log_followup_days INTEGER;
ALTER TABLE organisation ADD COLUMN log_retention_years INTEGER;
