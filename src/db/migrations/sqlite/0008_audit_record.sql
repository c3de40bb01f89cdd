-- 0008 a record's history at scale: the audit trail of one record and of
-- the records linked to it (a system's dependencies, roles, information),
-- newest first, is an index lookup per register instead of a walk back
-- through the organisation's whole trail (web/pages_audit.c).
CREATE INDEX audit_event_record ON audit_event(org_id, entity, entity_id, seq);
