-- 0022 risk analysis (issue 12; seed 001 §2, 004 §3; R-7-01..R-7-05).
-- Same conventions as 0001 and 0002.
--
-- risk_model: the organisation's risk model, one row, made on first use:
-- the matrix (16 digits, row by consequence 1..4, column by likelihood
-- 1..4, each the risk level 1..4: Låg, Medel, Hög, Mycket hög) and per
-- level who may accept a risk ('owner', 'management', 'chief', 'none')
-- and for how many months at most.  A change of the matrix writes the
-- levels of the organisation's risks anew (risks.c).
CREATE TABLE risk_model (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL UNIQUE REFERENCES organisation(id),
  matrix              TEXT NOT NULL,
  accept_1            TEXT NOT NULL,
  accept_2            TEXT NOT NULL,
  accept_3            TEXT NOT NULL,
  accept_4            TEXT NOT NULL,
  months_1            INTEGER NOT NULL,
  months_2            INTEGER NOT NULL,
  months_3            INTEGER NOT NULL,
  months_4            INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  updated_at          INTEGER NOT NULL
) STRICT;

-- risk_category: the consequence categories (verksamhet, ekonomi, liv och
-- hälsa, förtroende, lag och avtal), a register of their own so that an
-- organisation edits them.
CREATE TABLE risk_category (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  description         TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX risk_category_org ON risk_category(org_id, archived, title_sk, id);

-- risk_analysis: an analysis (the organisation's riskbild, a system, a
-- process, a project, a change, remote work), drafted, carried out,
-- decided by management or the risk owner (who and when kept), revised.
CREATE TABLE risk_analysis (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  title               TEXT NOT NULL,
  title_sk            TEXT NOT NULL,
  kind                TEXT NOT NULL DEFAULT 'organisation',
  system_id           INTEGER REFERENCES it_system(id),
  purpose             TEXT,
  participants        TEXT,
  owner_id            INTEGER REFERENCES person(id),
  method              TEXT,
  performed_on        TEXT,
  review_on           TEXT,
  state               TEXT NOT NULL DEFAULT 'draft',
  decided_by          INTEGER REFERENCES person(id),
  decided_on          TEXT,
  decision            TEXT,
  search              TEXT NOT NULL DEFAULT '',
  version             INTEGER NOT NULL DEFAULT 1,
  archived            INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  created_by          INTEGER,
  updated_by          INTEGER
) STRICT;
CREATE INDEX risk_analysis_org ON risk_analysis(org_id, archived, title_sk, id);
CREATE INDEX risk_analysis_system ON risk_analysis(org_id, system_id, archived, id);
CREATE INDEX risk_analysis_state ON risk_analysis(org_id, state, archived, id);
-- the follow-up calendar (review_source): analyses by their review day
CREATE INDEX risk_analysis_review ON risk_analysis(org_id, archived, review_on, id);

-- risk: one risk of an analysis: cause, event, consequence; its levels
-- before and after treatment (from the model), the treatment, and the
-- conscious decision when it is accepted (who, when, why, until when).
CREATE TABLE risk (
  id                     INTEGER PRIMARY KEY,
  org_id                 INTEGER NOT NULL REFERENCES organisation(id),
  analysis_id            INTEGER NOT NULL REFERENCES risk_analysis(id),
  title                  TEXT NOT NULL,
  title_sk               TEXT NOT NULL,
  cause                  TEXT,
  event                  TEXT,
  consequence_text       TEXT,
  category_id            INTEGER REFERENCES risk_category(id),
  aspect_k               INTEGER NOT NULL DEFAULT 0,
  aspect_r               INTEGER NOT NULL DEFAULT 0,
  aspect_t               INTEGER NOT NULL DEFAULT 0,
  aspect_s               INTEGER NOT NULL DEFAULT 0,
  system_id              INTEGER REFERENCES it_system(id),
  infoset_id             INTEGER REFERENCES information_set(id),
  consequence            TEXT,
  likelihood             TEXT,
  level                  TEXT,
  treatment              TEXT,
  treatment_reason       TEXT,
  residual_consequence   TEXT,
  residual_likelihood    TEXT,
  residual_level         TEXT,
  owner_id               INTEGER REFERENCES person(id),
  status                 TEXT NOT NULL DEFAULT 'open',
  handling               TEXT,
  accepted_by            INTEGER REFERENCES person(id),
  accepted_for           TEXT,
  accepted_on            TEXT,
  accepted_until         TEXT,
  accept_reason          TEXT,
  expiring               INTEGER NOT NULL DEFAULT 0,
  expiry_mailed          TEXT,
  source_key             TEXT,
  search                 TEXT NOT NULL DEFAULT '',
  version                INTEGER NOT NULL DEFAULT 1,
  archived               INTEGER NOT NULL DEFAULT 0,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL,
  created_by             INTEGER,
  updated_by             INTEGER
) STRICT;
CREATE INDEX risk_org ON risk(org_id, archived, title_sk, id);
CREATE INDEX risk_analysis_risks ON risk(org_id, analysis_id, archived, id);
CREATE INDEX risk_owner ON risk(org_id, owner_id, archived, status, id);
CREATE INDEX risk_status ON risk(org_id, status, archived, accepted_until, id);
-- acceptances that end within 30 days: the start page's line and the
-- overview's figure, and the list they open (?expiring=1)
CREATE INDEX risk_expiring ON risk(org_id, expiring, owner_id, id);
CREATE INDEX risk_level ON risk(org_id, archived, level, id);
CREATE INDEX risk_residual ON risk(org_id, archived, residual_level, id);
-- an import from the security plan once per threat and analysis
CREATE UNIQUE INDEX risk_source ON risk(analysis_id, source_key);

-- risk_activity: the activities of the action plan a risk's measures became.
CREATE TABLE risk_activity (
  id                  INTEGER PRIMARY KEY,
  org_id              INTEGER NOT NULL REFERENCES organisation(id),
  risk_id             INTEGER NOT NULL REFERENCES risk(id),
  activity_id         INTEGER NOT NULL REFERENCES activity(id),
  created_at          INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX risk_activity_link ON risk_activity(org_id, risk_id, activity_id);

-- risk_stat: the live risks per organisation, analysis (0: the whole
-- organisation), phase ('i' inherent, 'r' residual), consequence and
-- likelihood: the heat maps read it by key.  Kept by the triggers below.
CREATE TABLE risk_stat (
  org_id              INTEGER NOT NULL,
  analysis_id         INTEGER NOT NULL,
  phase               TEXT NOT NULL,
  consequence         TEXT NOT NULL,
  likelihood          TEXT NOT NULL,
  n                   INTEGER NOT NULL,
  PRIMARY KEY (org_id, analysis_id, phase, consequence, likelihood)
) STRICT;

CREATE TRIGGER risk_stat_ins AFTER INSERT ON risk WHEN new.archived = 0
BEGIN
  INSERT INTO risk_stat (org_id, analysis_id, phase, consequence, likelihood, n)
    SELECT new.org_id, a.column1, 'i', new.consequence, new.likelihood, 1
    FROM (VALUES (0), (new.analysis_id)) a
    WHERE new.consequence IS NOT NULL AND new.likelihood IS NOT NULL
  ON CONFLICT (org_id, analysis_id, phase, consequence, likelihood) DO UPDATE SET n = risk_stat.n + 1;
  INSERT INTO risk_stat (org_id, analysis_id, phase, consequence, likelihood, n)
    SELECT new.org_id, a.column1, 'r', new.residual_consequence, new.residual_likelihood, 1
    FROM (VALUES (0), (new.analysis_id)) a
    WHERE new.residual_consequence IS NOT NULL AND new.residual_likelihood IS NOT NULL
  ON CONFLICT (org_id, analysis_id, phase, consequence, likelihood) DO UPDATE SET n = risk_stat.n + 1;
END;

CREATE TRIGGER risk_stat_del AFTER DELETE ON risk WHEN old.archived = 0
BEGIN
  UPDATE risk_stat SET n = n - 1 WHERE org_id = old.org_id AND analysis_id IN (0, old.analysis_id)
    AND phase = 'i' AND consequence = old.consequence AND likelihood = old.likelihood;
  UPDATE risk_stat SET n = n - 1 WHERE org_id = old.org_id AND analysis_id IN (0, old.analysis_id)
    AND phase = 'r' AND consequence = old.residual_consequence
    AND likelihood = old.residual_likelihood;
END;

CREATE TRIGGER risk_stat_upd AFTER UPDATE ON risk
  WHEN old.archived IS NOT new.archived OR old.analysis_id IS NOT new.analysis_id
    OR old.consequence IS NOT new.consequence OR old.likelihood IS NOT new.likelihood
    OR old.residual_consequence IS NOT new.residual_consequence
    OR old.residual_likelihood IS NOT new.residual_likelihood
BEGIN
  UPDATE risk_stat SET n = n - 1 WHERE old.archived = 0 AND org_id = old.org_id
    AND analysis_id IN (0, old.analysis_id)
    AND phase = 'i' AND consequence = old.consequence AND likelihood = old.likelihood;
  UPDATE risk_stat SET n = n - 1 WHERE old.archived = 0 AND org_id = old.org_id
    AND analysis_id IN (0, old.analysis_id)
    AND phase = 'r' AND consequence = old.residual_consequence
    AND likelihood = old.residual_likelihood;
  INSERT INTO risk_stat (org_id, analysis_id, phase, consequence, likelihood, n)
    SELECT new.org_id, a.column1, 'i', new.consequence, new.likelihood, 1
    FROM (VALUES (0), (new.analysis_id)) a
    WHERE new.archived = 0 AND new.consequence IS NOT NULL AND new.likelihood IS NOT NULL
  ON CONFLICT (org_id, analysis_id, phase, consequence, likelihood) DO UPDATE SET n = risk_stat.n + 1;
  INSERT INTO risk_stat (org_id, analysis_id, phase, consequence, likelihood, n)
    SELECT new.org_id, a.column1, 'r', new.residual_consequence, new.residual_likelihood, 1
    FROM (VALUES (0), (new.analysis_id)) a
    WHERE new.archived = 0 AND new.residual_consequence IS NOT NULL
      AND new.residual_likelihood IS NOT NULL
  ON CONFLICT (org_id, analysis_id, phase, consequence, likelihood) DO UPDATE SET n = risk_stat.n + 1;
END;

-- Search (as 0003_search.sql): analyses and risks are found by the
-- search page; each keeps its FTS5 copy through the queue.
CREATE VIRTUAL TABLE risk_analysis_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE risk_fts USING fts5(search,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER risk_analysis_search_ins AFTER INSERT ON risk_analysis
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk_analysis', new.id);
END;
CREATE TRIGGER risk_analysis_search_upd AFTER UPDATE OF search ON risk_analysis
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk_analysis', new.id);
END;
CREATE TRIGGER risk_analysis_search_del AFTER DELETE ON risk_analysis
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk_analysis', old.id);
END;
CREATE TRIGGER risk_search_ins AFTER INSERT ON risk
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk', new.id);
END;
CREATE TRIGGER risk_search_upd AFTER UPDATE OF search ON risk
  WHEN old.search IS NOT new.search
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk', new.id);
END;
CREATE TRIGGER risk_search_del AFTER DELETE ON risk
BEGIN
  INSERT INTO search_queue (tbl, row_id) VALUES ('risk', old.id);
END;
