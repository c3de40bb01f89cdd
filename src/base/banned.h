/* banned.h - functions that must not be used in Värn (after git's banned.h).
 *
 * Included last by every translation unit through base.h.  Each banned name
 * is redefined to an undeclared identifier, so a use fails to compile with a
 * message naming the function.  Use struct buf (buf.h) instead.
 */
#ifndef VARN_BANNED_H
#define VARN_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_use_struct_buf

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef system
#define system(x) BANNED(system)

#endif
