-- 0023 follow-up (issue 12; seed 001 §8, 004 §3 and §8; R-15-01..07,
-- R-15-14..19): follow-ups and audits with their findings, the annual
-- goals linked to the action plan's activities, and the indexes that let
-- the follow-up calendar read every module's review dates by day
-- (core/module.h struct review_source).  Same conventions as 0001.
--
-- follow_up: a follow-up, an audit, a log review, an environment scan or
-- a system owner's follow-up: planned -> ongoing -> done (a conclusion
-- required); done keeps what was checked (guidelines, the action plan's
-- numbers at that moment, the annual goals, what needs revision) and
-- plans the next one when it recurs (next_id).
CREATE TABLE follow_up (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES organisation(id),
  title              TEXT NOT NULL,
  title_sk           TEXT NOT NULL,
  kind               TEXT NOT NULL DEFAULT 'follow_up',
  system_id          INTEGER REFERENCES it_system(id),
  scope              TEXT,
  responsible_id     INTEGER REFERENCES person(id),
  planned_on         TEXT NOT NULL,
  recurrence_months  INTEGER,
  state              TEXT NOT NULL DEFAULT 'planned',
  guidelines         TEXT,
  guidelines_note    TEXT,
  actions_total      INTEGER,
  actions_done       INTEGER,
  actions_overdue    INTEGER,
  actions_note       TEXT,
  goals              TEXT,
  goals_note         TEXT,
  revision_needed    TEXT,
  conclusion         TEXT,
  done_on            TEXT,
  next_id            INTEGER REFERENCES follow_up(id),
  search             TEXT NOT NULL DEFAULT '',
  version            INTEGER NOT NULL DEFAULT 1,
  archived           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  created_by         INTEGER,
  updated_by         INTEGER
) STRICT;
CREATE INDEX follow_up_org ON follow_up(org_id, archived, title_sk, id);
CREATE INDEX follow_up_state ON follow_up(org_id, state, archived, done_on);
CREATE INDEX follow_up_system ON follow_up(org_id, system_id, archived, planned_on);
-- the calendar: the open ones by day, everyone's and a person's
CREATE INDEX follow_up_due ON follow_up(org_id, planned_on, id)
  WHERE archived = 0 AND state IN ('planned', 'ongoing');
CREATE INDEX follow_up_mine ON follow_up(org_id, responsible_id, planned_on, id)
  WHERE archived = 0 AND state IN ('planned', 'ongoing');

-- follow_up_finding: what a follow-up found; a deviation becomes an
-- activity of the action plan in one step (activity_id).
CREATE TABLE follow_up_finding (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES organisation(id),
  follow_up_id       INTEGER NOT NULL REFERENCES follow_up(id),
  title              TEXT NOT NULL,
  title_sk           TEXT NOT NULL,
  description        TEXT,
  kind               TEXT NOT NULL DEFAULT 'observation',
  severity           TEXT NOT NULL DEFAULT 'medium',
  state              TEXT NOT NULL DEFAULT 'open',
  activity_id        INTEGER REFERENCES activity(id),
  search             TEXT NOT NULL DEFAULT '',
  version            INTEGER NOT NULL DEFAULT 1,
  archived           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  created_by         INTEGER,
  updated_by         INTEGER
) STRICT;
CREATE INDEX follow_up_finding_org ON follow_up_finding(org_id, archived, title_sk, id);
CREATE INDEX follow_up_finding_parent ON follow_up_finding(org_id, follow_up_id, archived, id);
CREATE INDEX follow_up_finding_activity ON follow_up_finding(activity_id);

-- annual_goal: a goal for a year: proposed -> decided (management) ->
-- met | partly | not met at the year's follow-up (follow_up_on).
CREATE TABLE annual_goal (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES organisation(id),
  year               INTEGER NOT NULL,
  title              TEXT NOT NULL,
  title_sk           TEXT NOT NULL,
  description        TEXT,
  responsible_id     INTEGER REFERENCES person(id),
  follow_up_on       TEXT NOT NULL,
  state              TEXT NOT NULL DEFAULT 'proposed',
  decided_by         TEXT,
  decided_on         TEXT,
  minutes_ref        TEXT,
  outcome_comment    TEXT,
  followed_up_on     TEXT,
  need_id            INTEGER,
  search             TEXT NOT NULL DEFAULT '',
  version            INTEGER NOT NULL DEFAULT 1,
  archived           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  created_by         INTEGER,
  updated_by         INTEGER
) STRICT;
CREATE INDEX annual_goal_org ON annual_goal(org_id, archived, title_sk, id);
CREATE INDEX annual_goal_year ON annual_goal(org_id, year, archived, state);
CREATE INDEX annual_goal_due ON annual_goal(org_id, follow_up_on, id)
  WHERE archived = 0 AND state IN ('proposed', 'decided');
CREATE INDEX annual_goal_mine ON annual_goal(org_id, responsible_id, follow_up_on, id)
  WHERE archived = 0 AND state IN ('proposed', 'decided');

-- annual_goal_activity: an activity of the action plan that serves a goal.
CREATE TABLE annual_goal_activity (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES organisation(id),
  goal_id            INTEGER NOT NULL REFERENCES annual_goal(id),
  activity_id        INTEGER NOT NULL REFERENCES activity(id),
  note               TEXT,
  search             TEXT NOT NULL DEFAULT '',
  version            INTEGER NOT NULL DEFAULT 1,
  archived           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  created_by         INTEGER,
  updated_by         INTEGER
) STRICT;
CREATE INDEX annual_goal_activity_goal ON annual_goal_activity(org_id, goal_id, archived, id);
CREATE INDEX annual_goal_activity_activity ON annual_goal_activity(activity_id);

-- it_need: a system owner's IT needs for the coming year (R-15-14/15),
-- which the management group compiles into proposed goals (goal_id):
-- submitted -> compiled.
CREATE TABLE it_need (
  id                 INTEGER PRIMARY KEY,
  org_id             INTEGER NOT NULL REFERENCES organisation(id),
  year               INTEGER NOT NULL,
  title              TEXT NOT NULL,
  title_sk           TEXT NOT NULL,
  area               TEXT NOT NULL DEFAULT 'maintenance',
  system_id          INTEGER REFERENCES it_system(id),
  owner_id           INTEGER REFERENCES person(id),
  goals              TEXT,
  requirements       TEXT,
  goal_id            INTEGER REFERENCES annual_goal(id),
  state              TEXT NOT NULL DEFAULT 'submitted',
  search             TEXT NOT NULL DEFAULT '',
  version            INTEGER NOT NULL DEFAULT 1,
  archived           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  created_by         INTEGER,
  updated_by         INTEGER
) STRICT;
CREATE INDEX it_need_org ON it_need(org_id, archived, title_sk, id);
CREATE INDEX it_need_year ON it_need(org_id, year, archived, area);

-- The other modules' review dates, read by day by the calendar and the
-- overdue list (their struct review_source): the open activities by end,
-- the approvals' validity by owner, the conditions not made activities.
CREATE INDEX activity_review_due ON activity(org_id, end_on, id)
  WHERE archived = 0 AND status IN ('planned', 'ongoing');
CREATE INDEX activity_review_mine ON activity(org_id, responsible_id, end_on, id)
  WHERE archived = 0 AND status IN ('planned', 'ongoing');
CREATE INDEX approval_review_owner ON approval(org_id, owner_id, state, archived, valid_until, id);
CREATE INDEX approval_condition_review ON approval_condition(org_id, deadline, id)
  WHERE archived = 0 AND activity_id IS NULL;
CREATE INDEX approval_condition_review_mine ON approval_condition(org_id, responsible_id,
  deadline, id) WHERE archived = 0 AND activity_id IS NULL;
CREATE INDEX security_plan_review_system ON security_plan(system_id, latest, archived, state);

-- Search (as 0003_search.sql): follow-ups are found by the search page.
CREATE VIRTUAL TABLE follow_up_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER follow_up_search_ins AFTER INSERT ON follow_up
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('follow_up', new.id);
END;
CREATE TRIGGER follow_up_search_upd AFTER UPDATE OF search ON follow_up
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('follow_up', new.id);
END;
CREATE TRIGGER follow_up_search_del AFTER DELETE ON follow_up
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('follow_up', old.id);
END;
