-- 0030 the audit trail's head kept elsewhere (issue 13; seed 004 §4
-- "Loggning och spårbarhet").  The hash chain shows any change to events
-- before the newest; tampering with the newest (and the head with them)
-- shows only against a head recorded outside the database.  The daily job
-- "audit-head" mails the head (sequence number and hash) to the address an
-- organisation gives here, and writes it to a file when the server is told
-- to (--audit-head-file); `varn audit verify --expect SEQ:HASH` checks it.
ALTER TABLE organisation ADD COLUMN audit_head_to TEXT;
