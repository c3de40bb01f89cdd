-- 0006 classification: an aspect not analysed (R-3-04, issue 7).
--
-- A classification records per aspect (K, R, T, S) whether it was analysed
-- at all: a level left NULL means "inte analyserad", never level 0 (seed
-- 002, the Skype assessment left integrity and availability unanalysed).
-- infoset_refresh (derive.c) carries the NULL on to information_set, whose
-- levels were nullable from the start.
--
-- SQLite cannot drop NOT NULL with ALTER TABLE: the table is rebuilt (new
-- table, copy, drop, rename, indexes again), inside the migration's
-- transaction.  No table refers to classification, no trigger is on it.
CREATE TABLE classification_new (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisation(id),
  infoset_id    INTEGER NOT NULL REFERENCES information_set(id),
  level_k       INTEGER,
  level_r       INTEGER,
  level_t       INTEGER,
  level_s       INTEGER,
  reason_k      TEXT,
  reason_r      TEXT,
  reason_t      TEXT,
  reason_s      TEXT,
  participants  TEXT,
  decision      TEXT,
  decided_on    TEXT NOT NULL,
  review_on     TEXT NOT NULL,
  answers_json  TEXT,
  scale_json    TEXT NOT NULL,
  search        TEXT NOT NULL DEFAULT '',
  version       INTEGER NOT NULL DEFAULT 1,
  archived      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  created_by    INTEGER,
  updated_by    INTEGER
) STRICT;
INSERT INTO classification_new (id, org_id, infoset_id, level_k, level_r, level_t, level_s,
  reason_k, reason_r, reason_t, reason_s, participants, decision, decided_on, review_on,
  answers_json, scale_json, search, version, archived, created_at, updated_at, created_by,
  updated_by)
SELECT id, org_id, infoset_id, level_k, level_r, level_t, level_s,
  reason_k, reason_r, reason_t, reason_s, participants, decision, decided_on, review_on,
  answers_json, scale_json, search, version, archived, created_at, updated_at, created_by,
  updated_by
FROM classification;
DROP TABLE classification;
ALTER TABLE classification_new RENAME TO classification;
CREATE INDEX classification_infoset ON classification(org_id, infoset_id, id);
