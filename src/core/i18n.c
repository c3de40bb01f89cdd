/* i18n.c - the message tables generated from messages.def. */
#include "base/base.h"

#include "core/i18n.h"

static const char *const texts_sv[M__COUNT] = {
	[M_NONE] = "",
#define MSG(id, sv, en) [id] = sv,
#include "messages.def"
#include "core/module_messages.def"
#undef MSG
};

static const char *const texts_en[M__COUNT] = {
	[M_NONE] = "",
#define MSG(id, sv, en) [id] = en,
#include "messages.def"
#include "core/module_messages.def"
#undef MSG
};

static const char *const names[M__COUNT] = {
	[M_NONE] = "M_NONE",
#define MSG(id, sv, en) [id] = #id,
#include "messages.def"
#include "core/module_messages.def"
#undef MSG
};

const char *msg_text(int lang, int msg)
{
	if (msg <= 0 || msg >= M__COUNT)
		return "";
	return lang == LANG_EN ? texts_en[msg] : texts_sv[msg];
}

int msg_plural(long long n, int one, int many)
{
	return n == 1 ? one : many;
}

const char *lang_code(int lang)
{
	return lang == LANG_EN ? "en" : "sv";
}

int lang_parse(const char *code)
{
	return code && strcmp(code, "en") == 0 ? LANG_EN : LANG_SV;
}

int msg_by_name(const char *s)
{
	for (int i = 1; i < M__COUNT; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return M_NONE;
}

const char *msg_fill(struct arena *a, const char *text, const char *key, const char *value)
{
	const char *at = strstr(text, key);

	if (!at)
		return text;
	return arena_printf(a, "%.*s%s%s", (int)(at - text), text, value ? value : "",
			    at + strlen(key));
}
