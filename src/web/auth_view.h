/* auth_view.h - what the writer needs to know of the signed-in session. */
#ifndef VARN_AUTH_VIEW_H
#define VARN_AUTH_VIEW_H

struct req;
/* The CSRF token of the request's session, or NULL. */
const char *auth_view_csrf(struct req *q);

#endif
