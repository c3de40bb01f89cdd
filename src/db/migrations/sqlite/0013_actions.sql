-- 0013 actions: the action plan (handlingsplan) decided by management and
-- followed up (issue 10; seed 001 §4, 004 §8).  Same conventions as 0001
-- and 0002.
--
-- action_plan: a plan for a period (usually a year): draft -> submitted ->
-- decided (by whom, when, the decision, the minutes, the version decided)
-- -> closed, its unfinished activities carried to the next plan
-- (carried_to).
CREATE TABLE action_plan (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisation(id),
  title            TEXT NOT NULL,
  title_sk         TEXT NOT NULL,
  period_start     TEXT NOT NULL,
  period_end       TEXT NOT NULL,
  description      TEXT,
  state            TEXT NOT NULL DEFAULT 'draft',
  decided_by       TEXT,
  decided_on       TEXT,
  decision         TEXT,
  minutes_ref      TEXT,
  decided_version  INTEGER,
  carried_to       INTEGER REFERENCES action_plan(id),
  search           TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  archived         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       INTEGER,
  updated_by       INTEGER
) STRICT;
CREATE INDEX action_plan_org ON action_plan(org_id, archived, title_sk, id);
CREATE INDEX action_plan_state ON action_plan(org_id, state, archived);

-- activity: one action of a plan: what, why, how important (priority 1
-- highest), what it costs, who is responsible, when, how it stands; an
-- activity carried over from a closed plan names the one it came from.
CREATE TABLE activity (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisation(id),
  plan_id          INTEGER NOT NULL REFERENCES action_plan(id),
  title            TEXT NOT NULL,
  title_sk         TEXT NOT NULL,
  kind             TEXT NOT NULL DEFAULT 'deficiency',
  goal             TEXT,
  description      TEXT,
  priority         INTEGER NOT NULL DEFAULT 3,
  cost             INTEGER,
  resources        TEXT,
  responsible_id   INTEGER REFERENCES person(id),
  start_on         TEXT,
  end_on           TEXT,
  status           TEXT NOT NULL DEFAULT 'planned',
  cancel_reason    TEXT,
  done_on          TEXT,
  carried_from     INTEGER REFERENCES activity(id),
  search           TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  archived         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       INTEGER,
  updated_by       INTEGER
) STRICT;
CREATE INDEX activity_org ON activity(org_id, archived, title_sk, id);
CREATE INDEX activity_priority ON activity(org_id, archived, priority, id);
CREATE INDEX activity_plan ON activity(org_id, plan_id, archived, status, end_on);
-- the start page's lines and the overdue reminder: a person's activities
-- by end and by start, the organisation's open ones by end
CREATE INDEX activity_mine_end ON activity(org_id, responsible_id, archived, end_on);
CREATE INDEX activity_mine_start ON activity(org_id, responsible_id, archived, start_on);
CREATE INDEX activity_open_end ON activity(org_id, archived, status, end_on, id);
CREATE INDEX activity_carried ON activity(carried_from);

-- The open gaps an activity can be made from (from_gaps.c), by status in
-- effect and code: a page of them costs its rows, not the assessments'.
CREATE INDEX measure_assessment_gap ON measure_assessment(org_id, archived, effective_status,
  code_sk, id);

-- activity_gap: a gap of the gap analysis (an assessment partly or not
-- met) that an activity addresses (R-7-06, R-4-20).
CREATE TABLE activity_gap (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisation(id),
  activity_id      INTEGER NOT NULL REFERENCES activity(id),
  assessment_id    INTEGER NOT NULL REFERENCES measure_assessment(id),
  note             TEXT,
  search           TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  archived         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       INTEGER,
  updated_by       INTEGER
) STRICT;
CREATE INDEX activity_gap_activity ON activity_gap(org_id, activity_id, archived);
CREATE INDEX activity_gap_assessment ON activity_gap(org_id, assessment_id, archived);

-- activity_dependency: an activity that must wait for another.
CREATE TABLE activity_dependency (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisation(id),
  activity_id      INTEGER NOT NULL REFERENCES activity(id),
  depends_on_id    INTEGER NOT NULL REFERENCES activity(id),
  note             TEXT,
  search           TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  archived         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       INTEGER,
  updated_by       INTEGER
) STRICT;
CREATE INDEX activity_dependency_activity ON activity_dependency(org_id, activity_id, archived);
CREATE INDEX activity_dependency_on ON activity_dependency(org_id, depends_on_id, archived);

-- plan_deviation: a change of an activity of a decided plan, kept for the
-- follow-up (what, before, after, when, who); written by the module in the
-- change's transaction, never changed.
CREATE TABLE plan_deviation (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisation(id),
  plan_id          INTEGER NOT NULL REFERENCES action_plan(id),
  activity_id      INTEGER REFERENCES activity(id),
  what             TEXT NOT NULL,
  before_text      TEXT,
  after_text       TEXT,
  happened_on      TEXT NOT NULL,
  person_id        INTEGER REFERENCES person(id),
  actor            TEXT,
  search           TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  archived         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       INTEGER,
  updated_by       INTEGER
) STRICT;
CREATE INDEX plan_deviation_plan ON plan_deviation(org_id, plan_id, id);
CREATE INDEX plan_deviation_org ON plan_deviation(org_id, archived, id);
CREATE INDEX plan_deviation_activity ON plan_deviation(activity_id);

-- Search (as 0003_search.sql): plans and activities are found by the
-- search page; each keeps its FTS5 copy through the queue.
CREATE VIRTUAL TABLE action_plan_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE activity_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER action_plan_search_ins AFTER INSERT ON action_plan
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('action_plan', new.id);
END;
CREATE TRIGGER action_plan_search_upd AFTER UPDATE OF search ON action_plan
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('action_plan', new.id);
END;
CREATE TRIGGER action_plan_search_del AFTER DELETE ON action_plan
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('action_plan', old.id);
END;
CREATE TRIGGER activity_search_ins AFTER INSERT ON activity
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('activity', new.id);
END;
CREATE TRIGGER activity_search_upd AFTER UPDATE OF search ON activity
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('activity', new.id);
END;
CREATE TRIGGER activity_search_del AFTER DELETE ON activity
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('activity', old.id);
END;
