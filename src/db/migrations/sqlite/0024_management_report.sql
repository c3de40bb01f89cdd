-- 0024 the management report (issue 12; seed 000 ¶7, 001 §3, §8, 004 §8).
--
-- gap_snapshot: the open gaps (required measures partly or not met) and
-- the requirements not assessed, per organisation, day and area, as the
-- daily job "gap-snapshot" of the measures module found them in
-- gap_area_stat; the management report compares a period's end with its
-- start.  History, not derived: backed up (a restore cannot rebuild it).
-- A report reads a few rows by the key.
CREATE TABLE gap_snapshot (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisation(id),
  day             TEXT NOT NULL,
  area            TEXT NOT NULL,
  n_open          INTEGER NOT NULL,
  n_not_assessed  INTEGER NOT NULL,
  UNIQUE (org_id, day, area)
) STRICT;

-- management_report: one record per report brought to management
-- (ledningens genomgång): the period it covers, the meeting, a short
-- summary of what is being done and why (R-15-08), the current-state
-- texts (real threats and incidents R-15-10, legal requirements R-15-11,
-- conditions for secure digitalisation R-15-12).  draft -> presented ->
-- decided.
CREATE TABLE management_report (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisation(id),
  title           TEXT NOT NULL,
  title_sk        TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'draft',
  period_from     TEXT NOT NULL,
  period_to       TEXT NOT NULL,
  meeting_on      TEXT,
  summary         TEXT,
  threats         TEXT,
  legal           TEXT,
  digitalisation  TEXT,
  presented_on    TEXT,
  decided_on      TEXT,
  search          TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  archived        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  created_by      INTEGER,
  updated_by      INTEGER
) STRICT;
CREATE INDEX management_report_org ON management_report(org_id, archived, title_sk, id);
CREATE INDEX management_report_period ON management_report(org_id, archived, period_from, id);

-- report_decision_item: a question for management in a report (R-15-09):
-- the proposed decision and the risk or consequence, and management's
-- decision recorded against it (who decided, when, and who recorded it
-- when the coordinator records on management's behalf).
CREATE TABLE report_decision_item (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisation(id),
  report_id       INTEGER NOT NULL REFERENCES management_report(id),
  title           TEXT NOT NULL,
  title_sk        TEXT NOT NULL,
  proposal        TEXT,
  risk            TEXT,
  state           TEXT NOT NULL DEFAULT 'open',
  decision        TEXT,
  decided_by      TEXT,
  decided_on      TEXT,
  recorded_by     TEXT,
  search          TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  archived        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  created_by      INTEGER,
  updated_by      INTEGER
) STRICT;
CREATE INDEX report_decision_item_org ON report_decision_item(org_id, archived, title_sk, id);
CREATE INDEX report_decision_item_report ON report_decision_item(org_id, report_id, archived, id);
CREATE INDEX report_decision_item_state ON report_decision_item(org_id, state, archived, id);
