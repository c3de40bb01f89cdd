-- 0017 incidents: incident handling, from the report to the reports to
-- authorities (issue 11; seed 003, 000, 004 §3-4).  Same conventions as
-- 0001 and 0002.  src/modules/incidents/incidents.h states the rules.
--
-- incident: what happened, reported by anyone (an employee signed in, a
-- person without an account through the organisation's intake link, or
-- the security function on someone's behalf), received, assessed,
-- remediated, restored, investigated and closed - or "not an incident".
-- aware_at is the moment the organisation became aware (RFC 3339 UTC,
-- never changed once written): every legal deadline counts from it.
-- Moments are RFC 3339 UTC text (F_DATETIME), so text order is time order.
CREATE TABLE incident (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  receipt             TEXT NOT NULL,
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  category            TEXT NOT NULL,
  description         TEXT,
  occurred_at         TEXT,
  aware_at            TEXT NOT NULL,
  reported_at         TEXT NOT NULL,
  location            TEXT,
  unit_id             INTEGER REFERENCES unit(id),
  system_id           INTEGER REFERENCES it_system(id),
  information_text    TEXT,
  personal_data       TEXT NOT NULL DEFAULT 'unknown',
  reporter_id         INTEGER REFERENCES person(id),
  reporter_name       TEXT,
  reporter_contact    TEXT,
  channel             TEXT NOT NULL DEFAULT 'web',
  registered_by       INTEGER REFERENCES person(id),
  state               TEXT NOT NULL DEFAULT 'reported',
  handler_id          INTEGER REFERENCES person(id),
  consequence         INTEGER,
  harm_c              INTEGER NOT NULL DEFAULT 0,
  harm_i              INTEGER NOT NULL DEFAULT 0,
  harm_a              INTEGER NOT NULL DEFAULT 0,
  spread              TEXT,
  urgency             TEXT,
  severity            INTEGER,
  severity_why        TEXT,
  class_level         INTEGER,
  taxonomy            TEXT,
  duty_personal       INTEGER NOT NULL DEFAULT 0,
  duty_high_risk      INTEGER NOT NULL DEFAULT 0,
  duty_nis2           INTEGER NOT NULL DEFAULT 0,
  duty_sapo           INTEGER NOT NULL DEFAULT 0,
  duty_care           INTEGER NOT NULL DEFAULT 0,
  duty_crime          INTEGER NOT NULL DEFAULT 0,
  duty_reasoning      TEXT,
  remediation         TEXT,
  root_cause_group    TEXT,
  root_cause          TEXT,
  lessons             TEXT,
  not_incident_reason TEXT,
  received_at         TEXT,
  assessed_at         TEXT,
  restored_at         TEXT,
  closed_at           TEXT,
  escalated           INTEGER NOT NULL DEFAULT 0,
  escalated_at        TEXT,
  escalated_by        INTEGER REFERENCES person(id),
  escalated_to        TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_org ON incident(org_id, archived, title_sk, id);
CREATE UNIQUE INDEX incident_receipt ON incident(org_id, receipt);
-- the desk's lines and lists: by state, newest first
CREATE INDEX incident_state ON incident(org_id, state, archived, reported_at, id);
-- the reporter's own reports
CREATE INDEX incident_reporter ON incident(org_id, reporter_id, reported_at, id);
-- a handler's incidents
CREATE INDEX incident_handler ON incident(org_id, handler_id, state, archived);
-- a period's compilation and the recurrence of a root cause
CREATE INDEX incident_reported ON incident(org_id, archived, reported_at, id);
CREATE INDEX incident_cause ON incident(org_id, root_cause_group, archived, reported_at);
CREATE INDEX incident_unit ON incident(org_id, unit_id, archived);
CREATE INDEX incident_by_system ON incident(org_id, system_id, archived);

-- incident_event: the incident's timeline, append-only (never updated,
-- never deleted): the report, each state change, assessments and
-- re-assessments, notes, hand-overs, assignments, escalation, reporting
-- duties met.  internal 0: the reporter may see it (a state change, in
-- words without internal details); 1: the handlers' only.
CREATE TABLE incident_event (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  at                  INTEGER NOT NULL,
  kind                TEXT NOT NULL,
  from_state          TEXT,
  to_state            TEXT,
  body                TEXT,
  person_id           INTEGER REFERENCES person(id),
  actor               TEXT NOT NULL,
  internal            INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX incident_event_incident ON incident_event(incident_id, at, id);

-- incident_system / incident_infoset: the systems and information sets an
-- incident affects (R-8-27): their classification enters the assessment,
-- their owners may read the incident, and the system's page lists it.
CREATE TABLE incident_system (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  system_id           INTEGER NOT NULL REFERENCES it_system(id),
  note                TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_system_org ON incident_system(org_id, archived, id);
CREATE INDEX incident_system_incident ON incident_system(incident_id, archived);
CREATE INDEX incident_system_system ON incident_system(org_id, system_id, archived, incident_id);

CREATE TABLE incident_infoset (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  infoset_id          INTEGER NOT NULL REFERENCES information_set(id),
  note                TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_infoset_org ON incident_infoset(org_id, archived, id);
CREATE INDEX incident_infoset_incident ON incident_infoset(incident_id, archived);
CREATE INDEX incident_infoset_infoset ON incident_infoset(org_id, infoset_id, archived);

-- incident_activity: the activities of the action plan that an
-- incident's lessons (R-8-23, R-7-12) or a self-assessment's findings
-- (R-8-30) became; source 'incidents' or 'incident-self-assessments', the
-- record's page lists them.
CREATE TABLE incident_activity (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  source              TEXT NOT NULL,
  source_id           INTEGER NOT NULL,
  activity_id         INTEGER NOT NULL REFERENCES activity(id),
  created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_activity_source ON incident_activity(org_id, source, source_id, activity_id);

-- incident_share: the incident shared with another incident-handling
-- area (IT support, data protection, physical security, ...) so that
-- their handlers work together (R-8-20): whom, their reference.
CREATE TABLE incident_share (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  area                TEXT NOT NULL,
  contact             TEXT,
  reference           TEXT,
  note                TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_share_org ON incident_share(org_id, archived, id);
CREATE INDEX incident_share_incident ON incident_share(incident_id, archived);

-- incident_process: the organisation's incident process as documented,
-- one row per version: the process, its roles, what changed and why
-- (R-8-28), when it was evaluated and is to be reviewed.
CREATE TABLE incident_process (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  version_label       TEXT,
  adopted_on          TEXT,
  description         TEXT,
  roles_text          TEXT,
  changes             TEXT,
  why                 TEXT,
  evaluation          TEXT,
  review_on           TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_process_org ON incident_process(org_id, archived, title_sk, id);

-- incident_self_assessment: the self-assessment of the current way of
-- working (R-8-30..38): the questions of seed 003, answered on a date by
-- an author, with findings that may become actions.
CREATE TABLE incident_self_assessment (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  assessed_on         TEXT NOT NULL,
  author_id           INTEGER REFERENCES person(id),
  q_employees         TEXT,
  q_handling          TEXT,
  q_roles             TEXT,
  q_terms             TEXT,
  q_awareness         TEXT,
  q_cooperation       TEXT,
  q_remedy            TEXT,
  q_problems          TEXT,
  q_crisis            TEXT,
  findings            TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_self_assessment_org ON incident_self_assessment(org_id, archived, title_sk, id);

-- incident_grant: who, besides the security function, reads (and with
-- may_write works on) one incident: its handler, the data protection
-- officers of a personal-data incident, the owners of the systems it
-- affects (why).  Kept by the module in the writes' transactions; the
-- engine's read scope asks it (grant_table).
CREATE TABLE incident_grant (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  record_id           INTEGER NOT NULL REFERENCES incident(id),
  person_id           INTEGER NOT NULL REFERENCES person(id),
  why                 TEXT NOT NULL,
  may_write           INTEGER NOT NULL DEFAULT 0,
  UNIQUE (record_id, person_id, why)
) STRICT;
CREATE INDEX incident_grant_person ON incident_grant(org_id, person_id, record_id);

-- incident_setting: the organisation's own incident settings: its terms
-- for the severities (R-8-11), its assessment criteria, whom the crisis
-- organisation is reached through, the intake link for people without an
-- account (on or off, its random token).
CREATE TABLE incident_setting (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL UNIQUE REFERENCES organisation(id),
  term_1              TEXT,
  term_2              TEXT,
  term_3              TEXT,
  term_4              TEXT,
  criteria            TEXT,
  crisis_contact      TEXT,
  intake_enabled      INTEGER NOT NULL DEFAULT 0,
  intake_token        TEXT,
  receipt_seq         INTEGER NOT NULL DEFAULT 0,
  version             INTEGER NOT NULL DEFAULT 1,
  updated_at          INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX incident_setting_token ON incident_setting(intake_token);

-- incident_status_link: the private status link of a report made through
-- the intake link (the reporter has no account): only the token's hash.
CREATE TABLE incident_status_link (
  id                  INTEGER PRIMARY KEY,
  token_hash          TEXT NOT NULL UNIQUE,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_status_link_incident ON incident_status_link(incident_id);

-- reporting_rule: the organisation's reporting duties (versioned data
-- from Värn's defaults, with their source; receivers editable): when an
-- assessment answer (trigger) holds, the incident gets an obligation to
-- report to receiver, of kind, within the deadline (amount and unit:
-- hours are elapsed time, days and months calendar time in Stockholm,
-- "without delay" none), counted from awareness or from when another
-- obligation of the same incident was discharged (after_kind).
CREATE TABLE reporting_rule (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  code                TEXT NOT NULL,
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  trigger_on          TEXT NOT NULL,
  receiver            TEXT NOT NULL,
  receiver_name       TEXT NOT NULL,
  receiver_contact    TEXT,
  kind                TEXT NOT NULL,
  deadline_amount     INTEGER,
  deadline_unit       TEXT NOT NULL,
  after_kind          TEXT,
  content             TEXT,
  source_ref          TEXT,
  draft               TEXT,
  rules_version       TEXT,
  active              INTEGER NOT NULL DEFAULT 1,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX reporting_rule_org ON reporting_rule(org_id, archived, title_sk, id);
CREATE UNIQUE INDEX reporting_rule_code ON reporting_rule(org_id, code);

-- incident_obligation: one duty of one incident: report to receiver, of
-- kind, by due_at (NULL: without delay), discharged when, how and with the
-- receiver's reference; a late one says why (delay_reason).  status:
-- pending, discharged, waived (decided not required, with the reason).
-- warned: the thresholds (50, 75, 90 % of the time) already warned of.
CREATE TABLE incident_obligation (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  incident_id         INTEGER NOT NULL REFERENCES incident(id),
  rule_id             INTEGER REFERENCES reporting_rule(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  receiver            TEXT NOT NULL,
  kind                TEXT NOT NULL,
  starts_at           TEXT,
  due_at              TEXT,
  status              TEXT NOT NULL DEFAULT 'pending',
  discharged_at       TEXT,
  discharged_how      TEXT,
  receiver_ref        TEXT,
  delay_reason        TEXT,
  waive_reason        TEXT,
  warned              INTEGER NOT NULL DEFAULT 0,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX incident_obligation_org ON incident_obligation(org_id, archived, title_sk, id);
CREATE INDEX incident_obligation_incident ON incident_obligation(incident_id, archived);
-- the countdowns and the warning job: pending duties by deadline
CREATE INDEX incident_obligation_due ON incident_obligation(org_id, status, archived, due_at, id);

-- Search (as 0003_search.sql): incidents are found by the search page,
-- within the reader's scope.
CREATE VIRTUAL TABLE incident_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER incident_search_ins AFTER INSERT ON incident
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('incident', new.id);
END;
CREATE TRIGGER incident_search_upd AFTER UPDATE OF search ON incident
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('incident', new.id);
END;
CREATE TRIGGER incident_search_del AFTER DELETE ON incident
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('incident', old.id);
END;
