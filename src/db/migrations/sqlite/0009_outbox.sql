-- 0009 e-mail as rows in the database (issue 8, core/outbox.c).
--
-- Every message is a row, sent by the outbox worker through SMTP and
-- retried with back-off.  last_error keeps the server's answer (shown to
-- the organisation's administrators); a message carries links, never
-- secrets.  dedup_key: at most one message per key and organisation
-- ("review:classification:12:overdue"), so a job that runs daily mails
-- a person once per thing that became due.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER REFERENCES organisation(id),
  to_addr          TEXT NOT NULL,
  subject          TEXT NOT NULL,
  body_text        TEXT NOT NULL,
  body_html        TEXT,
  entity           TEXT,
  entity_id        INTEGER,
  dedup_key        TEXT,
  state            TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER
) STRICT;
CREATE UNIQUE INDEX outbox_dedup ON outbox(org_id, dedup_key)
  WHERE dedup_key IS NOT NULL;
-- The worker: what is queued and due, oldest first.
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
-- The administrator's page: the organisation's messages, newest first.
CREATE INDEX outbox_org ON outbox(org_id, id);

-- The installation's SMTP server: one row (id = 1).  The password is
-- never logged, never shown back and never carried by backups (a restored
-- installation is configured again: the backup file should not hold a
-- credential for the municipality's mail server).
CREATE TABLE mail_config (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  host        TEXT,
  port        INTEGER NOT NULL DEFAULT 587,
  security    TEXT NOT NULL DEFAULT 'starttls'
              CHECK (security IN ('none', 'starttls', 'tls')),
  username    TEXT,
  password    TEXT,
  from_addr   TEXT,
  from_name   TEXT,
  base_url    TEXT,
  enabled     INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL
) STRICT;
INSERT INTO mail_config (id, updated_at) VALUES (1, 0);

-- What the review reminders (modules/systems/reminders.c) have told whom:
-- one row per person, information set, its review date and stage
-- ('soon': within 30 days, 'overdue': past), so a person is mailed again
-- only when something new is due or an item becomes overdue.
CREATE TABLE review_reminder (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES organisation(id),
  person_id    INTEGER NOT NULL REFERENCES person(id),
  infoset_id   INTEGER NOT NULL REFERENCES information_set(id),
  review_on    TEXT NOT NULL,
  stage        TEXT NOT NULL CHECK (stage IN ('soon', 'overdue')),
  reminded_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX review_reminder_once
  ON review_reminder(org_id, person_id, infoset_id, review_on, stage);
