-- 0008 a record's history at scale (PostgreSQL dialect of
-- sqlite/0008_audit_record.sql, which says why).
CREATE INDEX audit_event_record ON audit_event(org_id, entity, entity_id, seq);
