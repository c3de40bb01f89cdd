/* ctx.c - contexts that are not requests (ctx.h). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"

void ctx_system(struct ctx *c, struct arena *a, struct db *db, const char *actor, int via)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->db = db;
	c->actor = actor;
	c->via = via;
	c->lang = LANG_SV;
	c->now = clock_now();
}

const char *ctx_today(const struct ctx *c)
{
	/* "YYYY-MM-DD HH:MM" cut after the date */
	char *s = clock_format_local(c->a, c->now ? c->now : clock_now());
	s[10] = 0;
	return s;
}

const char *ctx_date_in(const struct ctx *c, int days)
{
	char *s = clock_format_local(c->a, (c->now ? c->now : clock_now()) + (int64_t)days * 86400);
	s[10] = 0;
	return s;
}

int ctx_has_role(const struct ctx *c, unsigned roles)
{
	return c->org && (c->org->org_roles & roles);
}

int ctx_has_role_for_unit(const struct ctx *c, unsigned roles, int64_t unit_id)
{
	if (ctx_has_role(c, roles))
		return 1;
	if (!c->org || unit_id <= 0)
		return 0;
	for (size_t i = 0; i < c->org->n_unit_roles; i++)
		if (c->org->unit_roles[i].unit_id == unit_id &&
		    (RB(c->org->unit_roles[i].role) & roles))
			return 1;
	return 0;
}
