/* menu.h - the main menu of an organisation (declared in app.c). */
#ifndef VARN_MENU_H
#define VARN_MENU_H

#include "web/layout.h"

extern const struct menu_item menu[]; /* label 0 terminates */
int menu_is_current(const struct req *q, const struct menu_item *m);

#endif
