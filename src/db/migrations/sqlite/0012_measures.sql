-- 0012 measures: the catalogue of security measures and the gap analysis
-- (issue 9; seeds 001 §2, 004 BITS, 002 "Krav från riskanalys").  Same
-- conventions as 0001 and 0002.
--
-- measure_catalogue: a catalogue an organisation has loaded (Värn's own,
-- versioned in the program, or one it holds a licence for), with the text
-- it was loaded from, so that a new version can be compared with it.
CREATE TABLE measure_catalogue (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES organisation(id),
  code         TEXT NOT NULL,
  title        TEXT NOT NULL,
  title_sk     TEXT NOT NULL,
  cat_version  TEXT NOT NULL,
  licence      TEXT,
  source       TEXT NOT NULL DEFAULT 'builtin',
  is_baseline  INTEGER NOT NULL DEFAULT 0,
  loaded_on    TEXT,
  content      TEXT,
  search       TEXT NOT NULL DEFAULT '',
  version      INTEGER NOT NULL DEFAULT 1,
  archived     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  created_by   INTEGER,
  updated_by   INTEGER
) STRICT;
CREATE UNIQUE INDEX measure_catalogue_code ON measure_catalogue(org_id, code);
CREATE INDEX measure_catalogue_org ON measure_catalogue(org_id, archived, title_sk, id);

-- measure: one security measure of the organisation, from a catalogue
-- (source 'catalogue', changed only by loading a new version) or its own
-- ('own'; with system_id, an extra requirement of one system, R-4-05).
-- min_k..min_s: the level of each aspect from which it is required (NULL:
-- the measure does not protect that aspect).
CREATE TABLE measure (
  id                INTEGER PRIMARY KEY,
  org_id            INTEGER NOT NULL REFERENCES organisation(id),
  code              TEXT NOT NULL,
  code_sk           TEXT NOT NULL,
  title             TEXT NOT NULL,
  title_sk          TEXT NOT NULL,
  title_en          TEXT,
  description       TEXT,
  description_en    TEXT,
  req_text          TEXT,
  area              TEXT NOT NULL,
  mtype             TEXT NOT NULL,
  scope             TEXT NOT NULL,
  min_k             INTEGER,
  min_r             INTEGER,
  min_t             INTEGER,
  min_s             INTEGER,
  ref_iso           TEXT,
  ref_msbfs         TEXT,
  ref_nis2          TEXT,
  ref_seed          TEXT,
  ref_req           TEXT,
  system_id         INTEGER REFERENCES it_system(id),
  source            TEXT NOT NULL DEFAULT 'own',
  catalogue_id      INTEGER REFERENCES measure_catalogue(id),
  changed_in        TEXT,
  search            TEXT NOT NULL DEFAULT '',
  version           INTEGER NOT NULL DEFAULT 1,
  archived          INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  created_by        INTEGER,
  updated_by        INTEGER
) STRICT;
CREATE UNIQUE INDEX measure_code ON measure(org_id, code);
CREATE INDEX measure_org ON measure(org_id, archived, code_sk, id);
CREATE INDEX measure_org_title ON measure(org_id, archived, title_sk, id);
CREATE INDEX measure_system ON measure(system_id);

-- measure_assessment: the self-assessment of one measure for one system
-- (system_id) or for the organisation (system_id NULL: an organisation-wide
-- measure, or a shared assessment that systems inherit, `inherit`).  The
-- columns after `comment` are kept by the module (selection.c): whether the
-- measure is required now, whether it came with a rise of the level and
-- is not yet assessed, whether the catalogue changed the measure since it
-- was assessed, and copies of what the overviews group by (the measure's
-- area, the system's unit and highest level, the status in effect: the
-- shared assessment's when inherited).
CREATE TABLE measure_assessment (
  id                INTEGER PRIMARY KEY,
  org_id            INTEGER NOT NULL REFERENCES organisation(id),
  measure_id        INTEGER NOT NULL REFERENCES measure(id),
  system_id         INTEGER REFERENCES it_system(id),
  status            TEXT NOT NULL DEFAULT 'not_assessed',
  inherit           INTEGER NOT NULL DEFAULT 0,
  how               TEXT,
  evidence          TEXT,
  severity          TEXT,
  motivation        TEXT,
  comment           TEXT,
  assessed_by       INTEGER REFERENCES person(id),
  assessed_on       TEXT,
  required          INTEGER NOT NULL DEFAULT 1,
  new_required      INTEGER NOT NULL DEFAULT 0,
  measure_changed   INTEGER NOT NULL DEFAULT 0,
  area              TEXT NOT NULL DEFAULT '',
  unit_id           INTEGER REFERENCES unit(id),
  sys_level         INTEGER NOT NULL DEFAULT 0,
  effective_status  TEXT NOT NULL DEFAULT 'not_assessed',
  code              TEXT NOT NULL DEFAULT '',
  code_sk           TEXT NOT NULL DEFAULT '',
  search            TEXT NOT NULL DEFAULT '',
  version           INTEGER NOT NULL DEFAULT 1,
  archived          INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  created_by        INTEGER,
  updated_by        INTEGER
) STRICT;
CREATE UNIQUE INDEX measure_assessment_system ON measure_assessment(org_id, system_id, measure_id)
  WHERE system_id IS NOT NULL;
CREATE UNIQUE INDEX measure_assessment_org ON measure_assessment(org_id, measure_id)
  WHERE system_id IS NULL;
CREATE INDEX measure_assessment_list ON measure_assessment(org_id, archived, code_sk, id);
CREATE INDEX measure_assessment_measure ON measure_assessment(org_id, measure_id, inherit);
CREATE INDEX measure_assessment_status ON measure_assessment(org_id, effective_status, area, required);

-- The numbers behind the gap overviews, kept by the triggers below in the
-- transaction of every write to measure_assessment, so that an overview
-- reads a few rows by key whatever the number of systems (as
-- system_stat, 0011).  Counted: rows that are required and live, by the
-- status in effect; gap_system_stat also counts 'new' (came with a rise
-- of the level, not yet assessed) and 'changed' (the measure changed in
-- the catalogue since it was assessed).  gap_area_stat's level is the
-- system's highest level (0: none), -1 for the organisation's own rows;
-- unit 0: none.  Derived data: not backed up (struct module's
-- derived_tables), rebuilt by the same triggers when a restore writes
-- the rows.
CREATE TABLE gap_system_stat (
  org_id     INTEGER NOT NULL,
  system_id  INTEGER NOT NULL,
  stat       TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, system_id, stat)
) STRICT, WITHOUT ROWID;
-- the systems with something of one kind (new, not assessed): the
-- coordinator's "waiting" line and the filtered list read it by key
CREATE INDEX gap_system_stat_stat ON gap_system_stat(org_id, stat, n, system_id);
CREATE TABLE gap_area_stat (
  org_id     INTEGER NOT NULL,
  unit_id    INTEGER NOT NULL,
  area       TEXT NOT NULL,
  level      INTEGER NOT NULL,
  stat       TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, unit_id, area, level, stat)
) STRICT, WITHOUT ROWID;
CREATE TABLE gap_measure_stat (
  org_id     INTEGER NOT NULL,
  measure_id INTEGER NOT NULL,
  stat       TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, measure_id, stat)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER measure_assessment_stat_ins AFTER INSERT ON measure_assessment
  WHEN new.required = 1 AND new.archived = 0
BEGIN
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    VALUES (new.org_id, coalesce(new.system_id, 0), new.effective_status, 1)
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    SELECT new.org_id, coalesce(new.system_id, 0), 'new', 1 WHERE new.new_required = 1
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    SELECT new.org_id, coalesce(new.system_id, 0), 'changed', 1 WHERE new.measure_changed = 1
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_area_stat (org_id, unit_id, area, level, stat, n)
    VALUES (new.org_id, coalesce(new.unit_id, 0), new.area, new.sys_level,
            new.effective_status, 1)
  ON CONFLICT (org_id, unit_id, area, level, stat) DO UPDATE SET n = gap_area_stat.n + 1;
  INSERT INTO gap_measure_stat (org_id, measure_id, stat, n)
    VALUES (new.org_id, new.measure_id, new.effective_status, 1)
  ON CONFLICT (org_id, measure_id, stat) DO UPDATE SET n = gap_measure_stat.n + 1;
END;

CREATE TRIGGER measure_assessment_stat_del AFTER DELETE ON measure_assessment
  WHEN old.required = 1 AND old.archived = 0
BEGIN
  UPDATE gap_system_stat SET n = n - 1
    WHERE org_id = old.org_id AND system_id = coalesce(old.system_id, 0) AND stat IN (
      old.effective_status,
      CASE WHEN old.new_required = 1 THEN 'new' END,
      CASE WHEN old.measure_changed = 1 THEN 'changed' END);
  UPDATE gap_area_stat SET n = n - 1
    WHERE org_id = old.org_id AND unit_id = coalesce(old.unit_id, 0) AND area = old.area
      AND level = old.sys_level AND stat = old.effective_status;
  UPDATE gap_measure_stat SET n = n - 1
    WHERE org_id = old.org_id AND measure_id = old.measure_id AND stat = old.effective_status;
END;

-- an update is the old row out and the new row in, only when something
-- counted changed
CREATE TRIGGER measure_assessment_stat_upd_out AFTER UPDATE ON measure_assessment
  WHEN old.required = 1 AND old.archived = 0 AND (new.required <> 1 OR new.archived <> 0
    OR new.effective_status <> old.effective_status OR new.new_required <> old.new_required
    OR new.measure_changed <> old.measure_changed OR new.unit_id IS NOT old.unit_id
    OR new.area <> old.area OR new.sys_level <> old.sys_level
    OR new.system_id IS NOT old.system_id OR new.measure_id <> old.measure_id)
BEGIN
  UPDATE gap_system_stat SET n = n - 1
    WHERE org_id = old.org_id AND system_id = coalesce(old.system_id, 0) AND stat IN (
      old.effective_status,
      CASE WHEN old.new_required = 1 THEN 'new' END,
      CASE WHEN old.measure_changed = 1 THEN 'changed' END);
  UPDATE gap_area_stat SET n = n - 1
    WHERE org_id = old.org_id AND unit_id = coalesce(old.unit_id, 0) AND area = old.area
      AND level = old.sys_level AND stat = old.effective_status;
  UPDATE gap_measure_stat SET n = n - 1
    WHERE org_id = old.org_id AND measure_id = old.measure_id AND stat = old.effective_status;
END;

CREATE TRIGGER measure_assessment_stat_upd_in AFTER UPDATE ON measure_assessment
  WHEN new.required = 1 AND new.archived = 0 AND (old.required <> 1 OR old.archived <> 0
    OR new.effective_status <> old.effective_status OR new.new_required <> old.new_required
    OR new.measure_changed <> old.measure_changed OR new.unit_id IS NOT old.unit_id
    OR new.area <> old.area OR new.sys_level <> old.sys_level
    OR new.system_id IS NOT old.system_id OR new.measure_id <> old.measure_id)
BEGIN
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    VALUES (new.org_id, coalesce(new.system_id, 0), new.effective_status, 1)
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    SELECT new.org_id, coalesce(new.system_id, 0), 'new', 1 WHERE new.new_required = 1
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_system_stat (org_id, system_id, stat, n)
    SELECT new.org_id, coalesce(new.system_id, 0), 'changed', 1 WHERE new.measure_changed = 1
  ON CONFLICT (org_id, system_id, stat) DO UPDATE SET n = gap_system_stat.n + 1;
  INSERT INTO gap_area_stat (org_id, unit_id, area, level, stat, n)
    VALUES (new.org_id, coalesce(new.unit_id, 0), new.area, new.sys_level,
            new.effective_status, 1)
  ON CONFLICT (org_id, unit_id, area, level, stat) DO UPDATE SET n = gap_area_stat.n + 1;
  INSERT INTO gap_measure_stat (org_id, measure_id, stat, n)
    VALUES (new.org_id, new.measure_id, new.effective_status, 1)
  ON CONFLICT (org_id, measure_id, stat) DO UPDATE SET n = gap_measure_stat.n + 1;
END;
