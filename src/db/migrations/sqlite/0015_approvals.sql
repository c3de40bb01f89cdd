-- 0015 approvals: the operational approval (driftgodkännande) of a system
-- (issue 10; seed 004 §7).  Same conventions as 0001 and 0002.
--
-- approval: per system, prepared by the coordinator (scope, the measures'
-- review and the security plan's state as they stood when it was
-- proposed, the proposal) and decided by the system's owner: approved,
-- approved with conditions, or not approved; valid until a date.  States:
-- draft -> proposed -> decided; a later decision supersedes it
-- (superseded, superseded_by).  validity: 'valid', 'due' (re-approval
-- within 60 days) or 'expired', kept by the daily job; review: marked for
-- review ("omprövning") and why.
CREATE TABLE approval (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  system_id           INTEGER NOT NULL REFERENCES it_system(id),
  owner_id            INTEGER REFERENCES person(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  state               TEXT NOT NULL DEFAULT 'draft',
  scope_version       TEXT,
  scope_environments  TEXT,
  scope_integrations  TEXT,
  scope_notes         TEXT,
  gap_required        INTEGER,
  gap_assessed        INTEGER,
  gap_met             INTEGER,
  gap_open            INTEGER,
  gap_serious         INTEGER,
  gap_snapshot        TEXT,
  secplan_id          INTEGER,
  secplan_version     INTEGER,
  secplan_state       TEXT,
  secplan_signed_on   TEXT,
  secplan_review_on   TEXT,
  secplan_evaluation  TEXT,
  proposal            TEXT,
  proposal_text       TEXT,
  proposed_by         INTEGER REFERENCES person(id),
  proposed_on         TEXT,
  decision            TEXT,
  decision_text       TEXT,
  decided_by          INTEGER REFERENCES person(id),
  decided_on          TEXT,
  decided_levels      TEXT,
  recorded_by         TEXT,
  valid_until         TEXT,
  validity            TEXT,
  review              INTEGER NOT NULL DEFAULT 0,
  review_reason       TEXT,
  review_since        TEXT,
  superseded_by       INTEGER REFERENCES approval(id),
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX approval_org ON approval(org_id, archived, title_sk, id);
CREATE INDEX approval_system_state ON approval(org_id, system_id, state, archived, id);
-- the owner's line: proposals waiting for their decision
CREATE INDEX approval_owner_state ON approval(org_id, owner_id, state, archived);
-- the daily job: decided approvals by the date they lapse
CREATE INDEX approval_valid_until ON approval(org_id, state, archived, valid_until, id);

-- approval_condition: a complementary measure the decision requires, with
-- its deadline; the decision makes it an activity of the action plan
-- (activity_id), followed up there; overdue: the deadline passed with the
-- activity undone (kept by the daily job).
CREATE TABLE approval_condition (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  approval_id         INTEGER NOT NULL REFERENCES approval(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  description         TEXT,
  deadline            TEXT NOT NULL,
  responsible_id      INTEGER REFERENCES person(id),
  activity_id         INTEGER REFERENCES activity(id),
  overdue             INTEGER NOT NULL DEFAULT 0,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX approval_condition_approval ON approval_condition(org_id, approval_id, archived, id);
CREATE INDEX approval_condition_deadline ON approval_condition(org_id, archived, overdue,
  deadline, id);
CREATE INDEX approval_condition_activity ON approval_condition(activity_id);

-- approval_system: where each live system stands, one row per system, kept
-- by the triggers below from it_system, approval and approval_condition
-- (never written otherwise): in operation or not, its current decided
-- approval (decision, still valid, due, marked for review, conditions
-- overdue) and the approval being prepared.  approval_stat: the
-- organisation's counts of the same, kept from approval_system.  So the
-- overview reads a few rows by key, and the lists behind it an index.
CREATE TABLE approval_system (
  org_id              INTEGER NOT NULL,
  system_id           INTEGER NOT NULL PRIMARY KEY,
  owner_id            INTEGER,
  in_operation        INTEGER NOT NULL,
  approval_id         INTEGER,
  decision            TEXT,
  valid               INTEGER NOT NULL,
  valid_until         TEXT,
  due                 INTEGER NOT NULL,
  review              INTEGER NOT NULL,
  conditions_overdue  INTEGER NOT NULL,
  pending_id          INTEGER,
  pending_state       TEXT
) STRICT;
CREATE INDEX approval_system_missing ON approval_system(org_id, in_operation, valid, system_id);
CREATE INDEX approval_system_review ON approval_system(org_id, review, system_id);
CREATE INDEX approval_system_due ON approval_system(org_id, due, valid_until, system_id);
CREATE INDEX approval_system_overdue ON approval_system(org_id, conditions_overdue, system_id);
CREATE INDEX approval_system_owner ON approval_system(org_id, owner_id, system_id);

CREATE TABLE approval_stat (
  org_id  INTEGER NOT NULL,
  stat    TEXT NOT NULL,
  n       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, stat)
) STRICT;

CREATE TRIGGER approval_system_stat_ins AFTER INSERT ON approval_system
BEGIN
  INSERT INTO approval_stat (org_id, stat, n) VALUES
    (new.org_id, 'approved', CASE WHEN new.valid = 1 AND new.decision = 'approved' THEN 1 ELSE 0 END),
    (new.org_id, 'approved_with_conditions', CASE WHEN new.valid = 1 AND new.decision = 'conditions' THEN 1 ELSE 0 END),
    (new.org_id, 'rejected', CASE WHEN new.decision = 'rejected' THEN 1 ELSE 0 END),
    (new.org_id, 'missing', CASE WHEN new.in_operation = 1 AND new.valid = 0 THEN 1 ELSE 0 END),
    (new.org_id, 'for_review', new.review),
    (new.org_id, 'due', CASE WHEN new.valid = 1 THEN new.due ELSE 0 END),
    (new.org_id, 'conditions_overdue', new.conditions_overdue),
    (new.org_id, 'proposed', CASE WHEN new.pending_state = 'proposed' THEN 1 ELSE 0 END)
  ON CONFLICT (org_id, stat) DO UPDATE SET n = approval_stat.n + excluded.n;
END;
CREATE TRIGGER approval_system_stat_del AFTER DELETE ON approval_system
BEGIN
  INSERT INTO approval_stat (org_id, stat, n) VALUES
    (old.org_id, 'approved', CASE WHEN old.valid = 1 AND old.decision = 'approved' THEN -1 ELSE 0 END),
    (old.org_id, 'approved_with_conditions', CASE WHEN old.valid = 1 AND old.decision = 'conditions' THEN -1 ELSE 0 END),
    (old.org_id, 'rejected', CASE WHEN old.decision = 'rejected' THEN -1 ELSE 0 END),
    (old.org_id, 'missing', CASE WHEN old.in_operation = 1 AND old.valid = 0 THEN -1 ELSE 0 END),
    (old.org_id, 'for_review', -old.review),
    (old.org_id, 'due', CASE WHEN old.valid = 1 THEN -old.due ELSE 0 END),
    (old.org_id, 'conditions_overdue', -old.conditions_overdue),
    (old.org_id, 'proposed', CASE WHEN old.pending_state = 'proposed' THEN -1 ELSE 0 END)
  ON CONFLICT (org_id, stat) DO UPDATE SET n = approval_stat.n + excluded.n;
END;

-- The row of one system, computed anew (the same SELECT in every trigger
-- below and for the systems there are now): its newest decided approval
-- and its newest one being prepared.
INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id, decision,
  valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
SELECT s.org_id, s.id, s.owner_id, CASE WHEN s.lifecycle = 'operation' THEN 1 ELSE 0 END,
  NULL, NULL, 0, NULL, 0, 0, 0, NULL, NULL
FROM it_system s WHERE s.archived = 0;

CREATE TRIGGER approval_system_of_system_ins AFTER INSERT ON it_system
  WHEN new.archived = 0
BEGIN
  INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id,
    decision, valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
  VALUES (new.org_id, new.id, new.owner_id,
    CASE WHEN new.lifecycle = 'operation' THEN 1 ELSE 0 END,
    NULL, NULL, 0, NULL, 0, 0, 0, NULL, NULL);
END;
CREATE TRIGGER approval_system_of_system_del AFTER DELETE ON it_system
BEGIN
  DELETE FROM approval_system WHERE system_id = old.id;
END;
CREATE TRIGGER approval_system_of_system_upd AFTER UPDATE OF lifecycle, archived, owner_id
  ON it_system
  WHEN old.lifecycle IS NOT new.lifecycle OR old.archived IS NOT new.archived
    OR old.owner_id IS NOT new.owner_id
BEGIN
  DELETE FROM approval_system WHERE system_id = new.id;
  INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id,
    decision, valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
  SELECT s.org_id, s.id, s.owner_id, CASE WHEN s.lifecycle = 'operation' THEN 1 ELSE 0 END,
    a.id, a.decision,
    CASE WHEN a.decision IN ('approved', 'conditions') AND a.validity IN ('valid', 'due')
      THEN 1 ELSE 0 END,
    a.valid_until, CASE WHEN a.validity = 'due' THEN 1 ELSE 0 END, coalesce(a.review, 0),
    (SELECT count(*) FROM approval_condition c
      WHERE c.org_id = a.org_id AND c.approval_id = a.id AND c.archived = 0 AND c.overdue = 1),
    p.id, p.state
  FROM it_system s
  LEFT JOIN approval a ON a.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state = 'decided' AND x.archived = 0)
  LEFT JOIN approval p ON p.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state IN ('draft', 'proposed') AND x.archived = 0)
  WHERE s.id = new.id AND s.archived = 0;
END;

CREATE TRIGGER approval_system_of_approval_ins AFTER INSERT ON approval
BEGIN
  DELETE FROM approval_system WHERE system_id = new.system_id;
  INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id,
    decision, valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
  SELECT s.org_id, s.id, s.owner_id, CASE WHEN s.lifecycle = 'operation' THEN 1 ELSE 0 END,
    a.id, a.decision,
    CASE WHEN a.decision IN ('approved', 'conditions') AND a.validity IN ('valid', 'due')
      THEN 1 ELSE 0 END,
    a.valid_until, CASE WHEN a.validity = 'due' THEN 1 ELSE 0 END, coalesce(a.review, 0),
    (SELECT count(*) FROM approval_condition c
      WHERE c.org_id = a.org_id AND c.approval_id = a.id AND c.archived = 0 AND c.overdue = 1),
    p.id, p.state
  FROM it_system s
  LEFT JOIN approval a ON a.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state = 'decided' AND x.archived = 0)
  LEFT JOIN approval p ON p.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state IN ('draft', 'proposed') AND x.archived = 0)
  WHERE s.id = new.system_id AND s.archived = 0;
END;
CREATE TRIGGER approval_system_of_approval_upd AFTER UPDATE ON approval
BEGIN
  DELETE FROM approval_system WHERE system_id = new.system_id;
  INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id,
    decision, valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
  SELECT s.org_id, s.id, s.owner_id, CASE WHEN s.lifecycle = 'operation' THEN 1 ELSE 0 END,
    a.id, a.decision,
    CASE WHEN a.decision IN ('approved', 'conditions') AND a.validity IN ('valid', 'due')
      THEN 1 ELSE 0 END,
    a.valid_until, CASE WHEN a.validity = 'due' THEN 1 ELSE 0 END, coalesce(a.review, 0),
    (SELECT count(*) FROM approval_condition c
      WHERE c.org_id = a.org_id AND c.approval_id = a.id AND c.archived = 0 AND c.overdue = 1),
    p.id, p.state
  FROM it_system s
  LEFT JOIN approval a ON a.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state = 'decided' AND x.archived = 0)
  LEFT JOIN approval p ON p.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state IN ('draft', 'proposed') AND x.archived = 0)
  WHERE s.id = new.system_id AND s.archived = 0;
END;
CREATE TRIGGER approval_system_of_approval_del AFTER DELETE ON approval
BEGIN
  DELETE FROM approval_system WHERE system_id = old.system_id;
  INSERT INTO approval_system (org_id, system_id, owner_id, in_operation, approval_id,
    decision, valid, valid_until, due, review, conditions_overdue, pending_id, pending_state)
  SELECT s.org_id, s.id, s.owner_id, CASE WHEN s.lifecycle = 'operation' THEN 1 ELSE 0 END,
    a.id, a.decision,
    CASE WHEN a.decision IN ('approved', 'conditions') AND a.validity IN ('valid', 'due')
      THEN 1 ELSE 0 END,
    a.valid_until, CASE WHEN a.validity = 'due' THEN 1 ELSE 0 END, coalesce(a.review, 0),
    (SELECT count(*) FROM approval_condition c
      WHERE c.org_id = a.org_id AND c.approval_id = a.id AND c.archived = 0 AND c.overdue = 1),
    p.id, p.state
  FROM it_system s
  LEFT JOIN approval a ON a.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state = 'decided' AND x.archived = 0)
  LEFT JOIN approval p ON p.id = (SELECT max(x.id) FROM approval x
    WHERE x.org_id = s.org_id AND x.system_id = s.id AND x.state IN ('draft', 'proposed') AND x.archived = 0)
  WHERE s.id = old.system_id AND s.archived = 0;
END;
-- a condition counts for its approval's system when its overdue flag or
-- its life changes
CREATE TRIGGER approval_system_of_condition_upd AFTER UPDATE OF overdue, archived
  ON approval_condition
  WHEN old.overdue IS NOT new.overdue OR old.archived IS NOT new.archived
BEGIN
  UPDATE approval SET updated_at = updated_at WHERE id = new.approval_id;
END;
CREATE TRIGGER approval_system_of_condition_ins AFTER INSERT ON approval_condition
  WHEN new.overdue = 1
BEGIN
  UPDATE approval SET updated_at = updated_at WHERE id = new.approval_id;
END;
CREATE TRIGGER approval_system_of_condition_del AFTER DELETE ON approval_condition
  WHEN old.overdue = 1
BEGIN
  UPDATE approval SET updated_at = updated_at WHERE id = old.approval_id;
END;

-- Search (as 0003_search.sql): approvals are found by the search page;
-- each keeps its FTS5 copy through the queue.
CREATE VIRTUAL TABLE approval_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER approval_search_ins AFTER INSERT ON approval
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('approval', new.id);
END;
CREATE TRIGGER approval_search_upd AFTER UPDATE OF search ON approval
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('approval', new.id);
END;
CREATE TRIGGER approval_search_del AFTER DELETE ON approval
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('approval', old.id);
END;
