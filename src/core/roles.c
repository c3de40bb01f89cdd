/* roles.c - role codes and labels (roles.h). */
#include "base/base.h"

#include "core/roles.h"
#include "core/i18n.h"

static const struct {
	const char *code;
	int label;
} roles[ROLE__COUNT] = {
	[ROLE_COORDINATOR] = { "samordnare", M_ROLE_COORDINATOR },
	[ROLE_MANAGEMENT] = { "ledning", M_ROLE_MANAGEMENT },
	[ROLE_SYSTEM_OWNER] = { "systemagare", M_ROLE_SYSTEM_OWNER },
	[ROLE_INFO_OWNER] = { "informationsagare", M_ROLE_INFO_OWNER },
	[ROLE_SYSTEM_MANAGER] = { "systemforvaltare", M_ROLE_SYSTEM_MANAGER },
	[ROLE_SYSTEM_ADMIN] = { "systemadministrator", M_ROLE_SYSTEM_ADMIN },
	[ROLE_IT_MANAGER] = { "it_chef", M_ROLE_IT_MANAGER },
	[ROLE_DPO] = { "dataskyddsombud", M_ROLE_DPO },
	[ROLE_USER] = { "anvandare", M_ROLE_USER },
	[ROLE_ADMIN] = { "administrator", M_ROLE_ADMIN },
	[ROLE_MUNICIPAL_CHIEF] = { "kommunchef", M_ROLE_MUNICIPAL_CHIEF },
};

const char *role_code(int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		BUG("role_code(%d)", role);
	return roles[role].code;
}

int role_parse(const char *code)
{
	for (int i = 0; code && i < ROLE__COUNT; i++)
		if (strcmp(roles[i].code, code) == 0)
			return i;
	return -1;
}

int role_label(int role)
{
	return role >= 0 && role < ROLE__COUNT ? roles[role].label : M_NONE;
}

long roles_parse_list(const char *codes)
{
	long mask = 0;
	const char *p = codes;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char code[32];
		int r;

		if (n == 0 || n >= sizeof(code))
			return -1;
		memcpy(code, p, n);
		code[n] = 0;
		r = role_parse(code);
		if (r < 0)
			return -1;
		mask |= 1L << r;
		p = end ? end + 1 : NULL;
	}
	return mask;
}
