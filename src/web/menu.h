/* menu.h - the main menu of an organisation: the foundation's entries and
 * every module's (core/module.h), in order, gathered by app.c. */
#ifndef VARN_MENU_H
#define VARN_MENU_H

#include "core/module.h"
#include "web/layout.h"

int menu_is_current(const struct req *q, const struct menu_item *m);

#endif
