// The only C that PotteryKit sees. Everything here is prefixed `pottery_`.
#ifndef POTTERY_CHIREDIS_SHIM_H
#define POTTERY_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>
#include <poll.h>

// `errstr` is a char[128], which Swift imports as a 128-element tuple.
// Hand it over as a pointer instead.
static inline const char *pottery_errstr(const redisContext *c) {
    return c->errstr;
}

// Index into a reply's element vector without Swift pointer arithmetic on a
// `redisReply **`.
static inline const redisReply *pottery_reply_element(const redisReply *r, size_t i) {
    return r->element[i];
}

// Whether an idle connection has been closed or has unexpected bytes waiting
// (the server quit, restarted, or dropped an idle client). A RESP2 server sends
// nothing unasked, so anything readable before a command means: reconnect.
static inline int pottery_context_is_stale(const redisContext *c) {
    struct pollfd p = { .fd = c->fd, .events = POLLIN, .revents = 0 };
    return poll(&p, 1, 0) != 0;
}

#endif
