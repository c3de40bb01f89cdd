/* identity.h - sign-in through the municipality's own identity sources:
 * Active Directory/LDAP directories and OpenID Connect providers (issue 13).
 *
 * A source (identity_source row) belongs to one organisation and is of a
 * kind (struct identity_kind: "ldap" in ldap.c, "oidc" in oidc.c).  Its
 * settings are the kind's declared fields: the plain ones kept as a JSON
 * object (identity_source.config), the secret ones (a bind password, a
 * client secret) encrypted with the server key (identity_source.secret) and
 * never shown, logged or exported.  The settings page and the CLI are made
 * from the declaration.
 *
 * Whatever the protocol, a successful check ends in identity_signin() with
 * the claims it read (subject, e-mail, name, unit, groups): the account and
 * the person are found or created, the person's name, e-mail and unit
 * brought up to date, and the roles the source's group mappings
 * (identity_group_role) give are refreshed: role_assignment rows with
 * source_id = the source are added and archived to match the groups, while
 * roles given by hand (source_id NULL) are never touched.  All in one
 * transaction with its audit events.
 */
#ifndef VARN_IDENTITY_H
#define VARN_IDENTITY_H

#include "base/base.h"

struct db;
struct db_error;
struct buf;

/* A setting a kind declares. */
enum identity_field_type {
	IF_TEXT = 0,  /* one line */
	IF_URL,       /* ldaps://… or https://… (the kind validates the scheme) */
	IF_SECRET,    /* write-only, encrypted; an empty form value keeps it */
	IF_BOOL,      /* "0"/"1" */
	IF_LONGTEXT,  /* several lines (a CA certificate in PEM) */
};
struct identity_field {
	const char *key;    /* "url"; NULL ends a list */
	int label;          /* message id */
	int help;           /* message id or 0 */
	int type;           /* enum identity_field_type */
	int required;
	const char *def;    /* default value, or NULL */
};

/* One source as loaded (identity_source_load): settings read, secrets
 * decrypted into the arena. */
struct identity_source {
	int64_t id, org_id;
	const char *org_slug;
	const char *kind;       /* "ldap", "oidc" */
	const char *name;       /* shown on the sign-in page and in the trail */
	int enabled;
	const char *default_role; /* role code every signed-in person gets,
				     or NULL: only mapped groups give roles */
	int64_t version;
	const struct identity_kind *k;
	size_t nvalues;
	const char **keys, **values; /* the kind's fields in order; secrets too */
};

/* What a source says about a person after a successful check. */
struct identity_claims {
	const char *subject;    /* stable identifier in the source: a DN or
				   entryUUID, an OIDC "sub"; required */
	const char *email;      /* required (the account is keyed by it) */
	const char *name;       /* display name; NULL: the e-mail */
	const char *unit;       /* the unit attribute/claim, matched against
				   unit.code then unit.name; NULL: unchanged */
	const char *const *groups; /* group DNs/names/ids the source lists */
	size_t ngroups;
	int disabled;           /* the source says the account is disabled */
};

enum identity_result {
	ID_OK = 0,
	ID_BAD,          /* wrong user name or password / token refused */
	ID_DISABLED,     /* disabled in the source, in Värn, or employment ended */
	ID_NO_ROLE,      /* authenticated, but no group maps to a role here */
	ID_UNAVAILABLE,  /* the source cannot be reached: say so, local
			    accounts still work */
	ID_ERROR,        /* a database or configuration error (logged) */
};

/* A kind of source.  Every function may be NULL where the kind has no such
 * step. */
struct identity_kind {
	const char *code;      /* "ldap" */
	int label;             /* message id: "Active Directory/LDAP" */
	const struct identity_field *fields;
	/* Checks the settings before they are saved: 0, or the message id of
	 * the problem with *field the key it concerns. */
	int (*validate)(const struct identity_source *src, struct arena *a,
			const char **field);
	/* "Test the connection": appends a short report in lang to out and
	 * returns 0 when the source answered as it should, -1 if not. */
	int (*test)(const struct identity_source *src, struct arena *a, int lang,
		    struct buf *out);
	/* Password sign-in (directories): checks login and password against
	 * the source and fills claims.  ID_OK, ID_BAD, ID_DISABLED or
	 * ID_UNAVAILABLE; *why a line for the log (never the password). */
	enum identity_result (*password)(const struct identity_source *src,
					 struct arena *a, const char *login,
					 const char *password,
					 struct identity_claims *claims,
					 const char **why);
	/* Redirect sign-in (OpenID Connect): the sign-in page offers a button
	 * "Logga in med NAME" leading to /logga-in/extern/{id}. */
	int redirect;
	/* What the administrator must tell the other side, shown above the
	 * settings (the redirect address to register with the provider), from
	 * the installation's public address; NULL when nothing. */
	const char *(*registration)(struct arena *a, const char *base_url, int lang);
};

/* Every kind, NULL-terminated (identity.c). */
extern const struct identity_kind *const identity_kinds[];
const struct identity_kind *identity_kind_find(const char *code);

/* Loads source id (any organisation; archived ones too, flagged by
 * enabled = 0).  0 with *out, 1 when there is none, -1 on error. */
int identity_source_load(struct db *db, struct arena *a, int64_t id,
			 struct identity_source **out, struct db_error *err);
/* The enabled sources of a kind (NULL: every kind), in all organisations
 * (org_id 0) or one; at most 50.  Their number, or -1 on error. */
int identity_sources_enabled(struct db *db, struct arena *a, const char *kind,
			     int64_t org_id, struct identity_source ***out,
			     struct db_error *err);
/* A setting's value (the default when unset), or NULL. */
const char *identity_get(const struct identity_source *src, const char *key);

/* Creates or updates a source from key/value pairs (the kind's fields;
 * an empty secret keeps the stored one).  id 0 creates.  Validates with
 * the kind, encrypts the secrets, writes an audit event (never with a
 * secret's value) in the same transaction.  Returns the id, or 0 with
 * err->code DBE_CHECK and err->msg the problem's message id in decimal
 * ("1234:url") or DBE_CONFLICT when expected_version is stale. */
struct ctx;
int64_t identity_source_save(struct ctx *cx, int64_t id, int64_t expected_version,
			     const char *kind, const char *name, int enabled,
			     const char *default_role, size_t n, const char *const *keys,
			     const char *const *values, struct db_error *err);

/* A group mapping: members of group get role (for unit, 0: the whole
 * organisation).  Adding the same mapping twice keeps one. */
int64_t identity_map_add(struct ctx *cx, int64_t source_id, const char *group,
			 const char *role, int64_t unit_id, struct db_error *err);
int identity_map_archive(struct ctx *cx, int64_t map_id, struct db_error *err);

/* The end of every external sign-in: finds or creates the account and the
 * person of claims in src's organisation, updates them, refreshes the
 * roles from the groups, and audits it ("signin" with the source's name is
 * the caller's; this writes "identity_sync" when something changed).
 * ID_OK with *user_id; ID_DISABLED when the claims, the account or the
 * person's employment say so; ID_NO_ROLE when the person holds no role in
 * the organisation afterwards; ID_ERROR. */
enum identity_result identity_signin(struct db *db, struct arena *a,
				     const struct identity_source *src,
				     const struct identity_claims *claims,
				     const char *ip, int64_t *user_id,
				     struct db_error *err);

/* Password sign-in through the directories, for an e-mail or user name
 * the local accounts could not sign in: tries each enabled source with a
 * password step whose "domains" setting (comma-separated e-mail domains)
 * matches the login's domain, or every such source when the login has no
 * "@" or no source lists domains.  The first ID_OK wins (then
 * identity_signin has run); ID_UNAVAILABLE only if every tried source was
 * unreachable.  *src_out is the source that answered, for the audit. */
enum identity_result identity_password_signin(struct db *db, struct arena *a,
					      const char *login, const char *password,
					      const char *ip, int64_t *user_id,
					      const struct identity_source **src_out);

#endif
