/* parts.h - page parts: one function per part of a page.
 *
 * After cgit's widget helpers (html_hidden, html_option, html_link_open):
 * a form field of every kind the engine has, a post button with its CSRF
 * token, a status badge, a record's definition list, a table, a section
 * with its heading, and a "related records" section derived from a
 * register's reference field.  A page composes parts; it does not write
 * field, table or section markup by hand, so what makes a page usable with
 * a screen reader and without JavaScript is written once, here.
 *
 * What every part keeps to:
 *   - a form control's id is "f-<name>", where the error summary links
 *     (layout.h page_error_summary); its hint is "f-<name>-help" and its
 *     error "f-<name>-error", both named by the control's aria-describedby;
 *     a field with an error has the class has-error and aria-invalid, and
 *     shows the value as it was typed (passwords excepted);
 *   - a section is a <section> labelled by its <h2>; a table has a caption
 *     or is labelled by the heading above it; row headers are
 *     <th scope="row">;
 *   - a badge is a word in a frame, never a colour alone;
 *   - every text is a message (core/i18n.h) or data, escaped (html.h).
 *
 * Parts take the request from h->q: the language, the CSRF token, the
 * organisation (for links) and the engine's context (for reference
 * choices and related records).  Memory: the request's arena.
 */
#ifndef VARN_PARTS_H
#define VARN_PARTS_H

#include "core/entity.h"
#include "web/html.h"

/* ---- form fields ---- */

enum part_input {
	PI_TEXT = 0,  /* one line */
	PI_LONGTEXT,  /* <textarea> */
	PI_EMAIL,
	PI_INT,       /* a number; min/max when max > min */
	PI_CHECKBOX,  /* one box, value "1", its label after it */
	PI_SELECT,    /* one of choices, in a <select> */
	PI_RADIOS,    /* one of choices, as radio buttons in a <fieldset> */
	PI_CHECKS,    /* several of choices, as checkboxes in a <fieldset> */
	PI_REF,       /* a live record of `ref`, in a <select> */
	PI_DATE,
	PI_DATETIME,
	PI_PASSWORD,  /* never shows a value */
	PI_FILE,
	PI_SEARCH,    /* a search box */
};

struct part_choice {
	const char *value;   /* NULL ends a list */
	const char *text;    /* what the person reads */
	const char *lang;    /* the text's language when not the page's ("sv"), or NULL */
};

struct part_field {
	enum part_input type;
	const char *name;          /* the form parameter; the control is "f-<name>",
				      a choice of PI_RADIOS/PI_CHECKS "<name>-<value>" */
	int label;                 /* message: the label (the legend of a group) */
	const char *label_text;    /* or the label as text, composed by the page */
	int label_lead;            /* message in bold before the label ("Ekonomi:"), or 0 */
	int help;                  /* message: a hint under the label, or 0 */
	int error;                 /* message: what is wrong with the value, or 0 */
	int required;              /* marked "(obligatoriskt)" and `required` */
	const char *value;         /* the value shown: stored, or as typed */
	const char *const *checked;/* PI_CHECKS: the values checked, NULL-terminated */
	const struct part_choice *choices; /* PI_SELECT, PI_RADIOS, PI_CHECKS */
	int placeholder;           /* PI_SELECT, PI_REF: text of a first option with
				      the value "" ("Välj …"), or 0 for none */
	const struct entity *ref;  /* PI_REF: whose records are offered */
	int find;                  /* PI_REF in a record's form: past PART_REF_PICK_MAX
				      records the register is searched by name
				      (parts.c ref_find), not listed whole */
	int none_option;           /* PI_REF in a list filter: an option "(saknas)"
				      with the value ENTITY_FILTER_NONE */
	int64_t min, max;          /* PI_INT: the range (when max > min); text:
				      max is the longest length, 0 for no limit */
	int rows;                  /* PI_LONGTEXT: lines high, 0 for 5 */
	const char *autocomplete;  /* an autocomplete token, or NULL */
	const char *inputmode;     /* an inputmode, or NULL */
	const char *accept;        /* PI_FILE: the file types offered */
	int plain;                 /* machine text (codes, CSV): no spelling check,
				      no capitals (always for e-mail and passwords) */
	const char *describedby;   /* a form-level message's id as well ("errors") */
	const char *cls;           /* another class of the field ("question") */
	const char *id;            /* several forms with the same fields on one page
				      (a gap analysis): the control is "f-<id>", a
				      choice "<id>-<value>"; NULL: from the name */
};

/* The field: its label (with the required marker), hint, error and
 * control, in a <div class="field">, or a <fieldset> with a <legend> for
 * PI_RADIOS and PI_CHECKS. */
void part_field(struct html *h, const struct part_field *f);

/* A declared field as a part_field: type, name, label, hint, limits and
 * choices from its declaration (a register's field or a transition's
 * input), with the value and its error (a message, or 0).  A page that
 * needs another label, hint or height changes f before part_field. */
void part_field_of(struct html *h, const struct entity_field *ef, const char *value, int error,
		   struct part_field *f);
/* Field i of register e in its form: part_field_of with the field's
 * error from errs (NULL: none), then part_field. */
void part_entity_field(struct html *h, const struct entity *e, size_t i, const char *value,
		       const struct field_errors *errs);
/* A choice list (struct choice: message labels) as texts in the request's
 * language, for part_field. */
const struct part_choice *part_choices(struct html *h, const struct choice *c);
/* The <option>s of ref's live records, by title, the record whose id is
 * `selected` selected (also the lists' filters).  When they cannot be read
 * the request fails (req_fail): no form offers a short list of choices. */
void part_ref_options(struct html *h, const struct entity *ref, const char *selected);
/* A register with more live records than this is not offered whole in a
 * picker: a record's form searches it by name ("<field>__find", resolved by
 * the form's handler with part_ref_resolve), a list filter offers only the
 * record chosen.  The cost of a form stays bounded whatever its size. */
#define PART_REF_PICK_MAX 200
#define PART_REF_MATCHES 20
/* Resolves a search by name for reference field f of a posted form (the
 * "<name>__find" text): the record whose title is the text, or the only
 * match; *id 0 and the message of what went wrong otherwise (none, or
 * several to choose from, which the form then offers).  0 when nothing was
 * searched for, 1 when resolved, -1 when not (msg set). */
int part_ref_resolve(struct req *q, const struct entity_field *f, int64_t *id, int *msg);
/* <input type="hidden">; nothing when value is NULL. */
void part_hidden(struct html *h, const char *name, const char *value);

/* ---- actions ---- */

struct part_hidden {
	const char *name;    /* NULL ends a list */
	const char *value;
};

struct part_post {
	int label;           /* message: the button's text ("{n}" becomes n) */
	int64_t n;
	const char *cls;     /* the button's class ("primary", "danger", "link"), or NULL */
	int64_t version;     /* > 0: posted as "version" (the engine's concurrency check) */
	const struct part_hidden *hidden; /* more fields, or NULL */
};

/* A button that posts to the path (h_url's formatting: %s arguments are
 * percent-encoded) in a small form of its own with the session's CSRF
 * token: archive, restore, "mark as reviewed", revoke, sign out. */
void part_post_button(struct html *h, const struct part_post *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A link (h_url's formatting) with text; a link that looks like a button
 * (primary: the page's main action). */
void part_link(struct html *h, const char *text, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A "Visa" link that opens a row's record (left out on paper). */
void part_show_link(struct html *h, int label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void part_button_link(struct html *h, int label, int primary, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A section's "add" action: a button-like link in a paragraph of its own. */
void part_add_link(struct html *h, int label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- status ---- */

/* A status word in a frame: <span class="badge KIND">.  kind is a CSS
 * class ("archived", "critical") or NULL; the word says it all without the
 * colour. */
void part_badge(struct html *h, int msg, const char *kind);
/* The muted text of an empty section or list ("Inga beroenden ..."). */
void part_empty(struct html *h, int msg);

/* ---- sections ---- */

/* <section aria-labelledby="id"><h2 id="id">heading</h2>; _n adds the
 * number of records to the heading when there are any; a card is a framed
 * section. */
void part_section_begin(struct html *h, const char *id, int heading);
void part_section_begin_n(struct html *h, const char *id, int heading, int64_t n);
void part_card_begin(struct html *h, const char *id, int heading);
void part_section_end(struct html *h);

/* ---- a record's definition list ---- */

void part_dl_begin(struct html *h);
/* A label and its value; "–" when the value is empty. */
void part_dl_item(struct html *h, int label, const char *text);
/* A label whose value the page writes from parts (links, badges). */
void part_dl_item_begin(struct html *h, int label);
void part_dl_item_end(struct html *h);
void part_dl_end(struct html *h);
/* Field i of rec as a person reads it: choice labels, Ja/Nej, references
 * as links, levels (FF_LEVEL) as a chip "K3" with its text ("Ej klassad"
 * when empty, never 0), due dates (FF_DUE) past today as "2025-03-01
 * (försenad)".  part_td_value: the same in a table cell. */
void part_value(struct html *h, const struct entity *e, const struct record *rec, size_t i);
void part_td_value(struct html *h, const struct entity *e, const struct record *rec, size_t i);
/* A level as a chip: the aspect's letter (a message, or 0) and the number,
 * "Nivå 3" as its title; v empty: "Ej klassad".  Colour underlines the
 * text, never replaces it. */
void part_level(struct html *h, int aspect, const char *v);
/* Every field of rec as label and value, as a person reads it (choice
 * labels, Ja/Nej); references link to the referenced record. */
void part_record_items(struct html *h, const struct entity *e, const struct record *rec);

/* ---- tables ---- */

/* <table class="list"> in a scrolling frame, named by a caption (a
 * message, read by screen readers only) or by the element labelledby
 * (the heading of its section); then the header row, one part_th each,
 * and part_table_body. */
void part_table_begin(struct html *h, int caption, const char *labelledby);
void part_th(struct html *h, int label);
/* A heading cell whose content the page writes (a sort link); sort is
 * "ascending" or "descending" when the table is sorted by it, else NULL. */
void part_th_begin(struct html *h, const char *sort);
void part_th_end(struct html *h);
/* A heading that abbreviates ("K" for "Konfidentialitet"). */
void part_th_abbr(struct html *h, int abbr, int title);
void part_table_body(struct html *h);
void part_tr(struct html *h);
void part_tr_end(struct html *h);
/* A cell with text ("–" when empty), a message, or parts (begin/end). */
void part_td(struct html *h, const char *text);
void part_td_msg(struct html *h, int msg);
void part_td_begin(struct html *h);
void part_td_end(struct html *h);
/* The row's header cell, holding parts (usually a link to the row). */
void part_th_row_begin(struct html *h);
void part_th_row_end(struct html *h);
void part_table_end(struct html *h);

/* ---- related records ---- */

/* The live records of register e that refer to the current record through
 * e's field ref_field (an F_REF with FF_FILTER), in the current
 * organisation, listed through the engine (entity_list): so the reader's
 * roles, the organisation and privacy masking (protected identities, also
 * in referenced titles) apply as everywhere else. */
struct part_related {
	const struct entity *e;
	int ref_field;
	const int *cols;       /* fields shown, ended by -1; the first is the row's
				  header and links to the record, references link
				  to theirs */
	const char *id;        /* the heading's id */
	int heading;           /* message: the section's heading */
	int empty;             /* message when there are none; 0: no section then */
	int add;               /* message of the link that adds one with the
				  reference filled in, or 0; shown to those who may
				  create such a record (entity_may) while the
				  current record is not archived */
	const char *sort;      /* an FF_SORT field's name, or NULL: by title */
	int desc;
	const char *group;     /* an F_ENUM field's name: rows in the order its
				  choices are declared (owner before manager), or NULL */
};

#define PART_RELATED_MAX 50 /* rows shown; beyond, a link to the filtered list */

/* The section: heading with the count, the table (or the empty text), and
 * the add link.  cur is the record whose page it is.  When the records
 * cannot be read the request fails (req_fail), rather than read "none". */
void part_related(struct html *h, const struct part_related *p, const struct record *cur);

#endif
