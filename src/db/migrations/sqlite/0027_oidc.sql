-- 0027 OpenID Connect sign-in (issue 13; seed 002 strong authentication,
-- 004 §4 accounts).  modules/signin (oidc.c).
--
-- oidc_pending: a sign-in started at /logga-in/extern/{id} and not yet
-- come back from the provider.  The browser holds the state (in the
-- provider's redirect) and a cookie of its own (varn_oidc); the row keeps
-- only their BLAKE2b hashes, so neither can be read back from the
-- database.  The nonce and the PKCE code verifier are not stored at all:
-- they are derived from the state with the server key.  A row is used
-- once (used_at) within 10 minutes; rows older than a day are removed when
-- the next sign-in starts (by created_at).
CREATE TABLE oidc_pending (
  id            INTEGER PRIMARY KEY,
  source_id     INTEGER NOT NULL REFERENCES identity_source(id),
  state_hash    TEXT NOT NULL UNIQUE,
  browser_hash  TEXT NOT NULL,
  next_path     TEXT,
  created_at    INTEGER NOT NULL,
  used_at       INTEGER
) STRICT;
CREATE INDEX oidc_pending_created ON oidc_pending(created_at);
