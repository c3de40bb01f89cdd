/* i18n.h - every user-visible text, in Swedish and English.
 *
 * Texts live in core/messages.def (the foundation's) and in each module's
 * modules/NAME/messages.def, one line per message with both languages side
 * by side, so a missing translation is a compile error.  The build gathers
 * the modules' files into module_messages.def (src/core/meson.build).
 * Code refers to texts only by id: M_SIGN_IN.  Swedish is the default;
 * English is chosen per user.
 */
#ifndef VARN_I18N_H
#define VARN_I18N_H

enum lang { LANG_SV = 0, LANG_EN = 1 };

enum msg {
	M_NONE = 0,
#define MSG(id, sv, en) id,
#include "messages.def"
#include "core/module_messages.def"
#undef MSG
	M__COUNT
};

const char *msg_text(int lang, int msg);
/* Plural forms: `one` for n == 1, else `many` ("1 träff", "2 träffar";
 * Swedish and English both have these two).  The message to write with
 * "{n}" (web/html.h h_msg_n, h_msg_plural). */
int msg_plural(long long n, int one, int many);
/* text with its first "{key}" (key given with the braces) replaced by
 * value, in a: messages carry their values by name, never as printf
 * formats.  text itself when key is not in it. */
struct arena;
const char *msg_fill(struct arena *a, const char *text, const char *key, const char *value);
/* "sv" / "en" */
const char *lang_code(int lang);
int lang_parse(const char *code); /* unknown -> LANG_SV */
/* The message whose id name is s ("M_SIGN_IN"), or M_NONE; for tests. */
int msg_by_name(const char *s);

#endif
