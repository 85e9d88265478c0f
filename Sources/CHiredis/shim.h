// The only C that PotteryKit sees. Everything here is prefixed `pottery_`.
#ifndef POTTERY_CHIREDIS_SHIM_H
#define POTTERY_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>
#include <poll.h>
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <fcntl.h>
#include <sys/random.h>
#include <pthread.h>
#include <string.h>

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

// The socket's file descriptor.
static inline int pottery_fd(const redisContext *c) {
    return c->fd;
}

// Room for `length` more bytes at the end of the output buffer: write a command
// there (in RESP), then pottery_output_commit. NULL when out of memory.
static inline char *pottery_output_reserve(redisContext *c, size_t length) {
    sds grown = sdsMakeRoomFor(c->obuf, length);
    if (grown == NULL) return NULL;
    c->obuf = grown;
    return grown + sdslen(grown);
}

// The `length` bytes written after pottery_output_reserve are part of the output.
static inline void pottery_output_commit(redisContext *c, size_t length) {
    sdsIncrLen(c->obuf, (int)length);
}

// Whether commands are still waiting in the output buffer, `sent` bytes of
// which are already written.
static inline int pottery_has_output(const redisContext *c, size_t sent) {
    return c->obuf != NULL && sdslen(c->obuf) > sent;
}

// Writes as much of the output buffer past its first `*sent` bytes as the
// socket takes now, without SIGPIPE (send with MSG_NOSIGNAL), and advances
// `*sent`; the buffer is emptied (and `*sent` zeroed) once all of it is
// written. Keeping an offset rather than cutting the written bytes off
// (hiredis's sdsrange) copies nothing per partial write: a 12 MB command no
// longer moves megabytes for every socket buffer's worth sent. Returns the
// bytes written, or -1 with errno.
static inline long pottery_write(redisContext *c, size_t *sent) {
    size_t length = sdslen(c->obuf);
    if (length <= *sent) return 0;
    ssize_t written = send(c->fd, c->obuf + *sent, length - *sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (written > 0) {
        *sent += (size_t)written;
        if (*sent == length) {
            *sent = 0;
            // Keep a small buffer for the next command (no free and malloc per call);
            // a large batch's buffer is given back.
            if (sdsalloc(c->obuf) <= 65536) {
                sdsclear(c->obuf);
            } else {
                sdsfree(c->obuf);
                c->obuf = sdsempty();
            }
        }
    }
    return (long)written;
}

// Reads what the socket holds now into the context's reply reader. Returns the
// bytes read, 0 at end of file, -1 with errno (EAGAIN: nothing yet), or -2
// when the reader refused the bytes (a protocol error; see errstr).
static inline long pottery_read(redisContext *c) {
    char buffer[65536];
    ssize_t count = recv(c->fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (count > 0 && redisReaderFeed(c->reader, buffer, (size_t)count) != REDIS_OK) {
        return -2;
    }
    return (long)count;
}

// pottery_read, but waiting for bytes up to the socket's receive timeout
// (pottery_set_receive_timeout; -1 with EAGAIN when it passed): one system call
// where poll and read would be two.
static inline long pottery_read_waiting(redisContext *c) {
    char buffer[65536];
    ssize_t count = recv(c->fd, buffer, sizeof buffer, 0);
    if (count > 0 && redisReaderFeed(c->reader, buffer, (size_t)count) != REDIS_OK) {
        return -2;
    }
    return (long)count;
}

// After the connect: the socket blocks, so that pottery_read_waiting can wait;
// every other read and write passes MSG_DONTWAIT. 0, or -1 with errno.
static inline int pottery_make_blocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

// How long pottery_read_waiting waits (0: for ever). 0, or -1 with errno.
static inline int pottery_set_receive_timeout(int fd, long long microseconds) {
    struct timeval limit = { .tv_sec = (time_t)(microseconds / 1000000), .tv_usec = (suseconds_t)(microseconds % 1000000) };
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
}

// Why the reply reader refused the bytes.
static inline const char *pottery_reader_errstr(const redisContext *c) {
    return c->reader->errstr;
}

// The pending error of a non-blocking connect (0 when it succeeded).
static inline int pottery_socket_error(int fd) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
}

// A thread's unread getrandom(2) bytes: each byte is handed out once, then
// wiped. A forked child starts with none (pthread_atfork), so parent and child
// never hand out the same bytes.
struct pottery_random_pool {
    unsigned char bytes[512];
    size_t left;
};

static inline struct pottery_random_pool *pottery_random_pool_of_thread(void) {
    static __thread struct pottery_random_pool pool;
    return &pool;
}

static inline void pottery_random_pool_forget(void) {
    struct pottery_random_pool *pool = pottery_random_pool_of_thread();
    memset(pool->bytes, 0, sizeof pool->bytes);
    pool->left = 0;
}

static inline void pottery_random_pool_register(void) {
    pthread_atfork(NULL, NULL, pottery_random_pool_forget);
}

// `length` (at most 512) bytes from the kernel's CSPRNG (getrandom(2), which
// Swift's Glibc module does not export), taken from the calling thread's pool,
// which one getrandom(2) refills when it runs short: a lock token costs a
// system call every 32 draws, not every draw. 0 when done, -1 when the kernel
// gave too few bytes (the pool is then left empty).
static inline int pottery_random_pooled(void *buffer, size_t length) {
    static pthread_once_t registered = PTHREAD_ONCE_INIT;
    struct pottery_random_pool *pool = pottery_random_pool_of_thread();
    if (length > sizeof pool->bytes) return -1;
    pthread_once(&registered, pottery_random_pool_register);
    if (pool->left < length) {
        if (getrandom(pool->bytes, sizeof pool->bytes, 0) != (ssize_t)sizeof pool->bytes) {
            pottery_random_pool_forget();
            return -1;
        }
        pool->left = sizeof pool->bytes;
    }
    unsigned char *taken = pool->bytes + sizeof pool->bytes - pool->left;
    memcpy(buffer, taken, length);
    memset(taken, 0, length);
    pool->left -= length;
    return 0;
}

#endif
