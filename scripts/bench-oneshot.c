/* The C anchor of scripts/bench.sh's one-shot table: what a minimal blocking
 * hiredis program pays to start, connect, send one command, print its reply
 * and exit, the work of one `pottery-cli` call from a shell script.
 *
 *   bench-oneshot HOST PORT ARG...     sends ARG... as one command, prints the reply
 *   bench-oneshot                      does nothing (the cost of starting a C program)
 */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 4) return 0;
    redisContext *c = redisConnect(argv[1], atoi(argv[2]));
    if (c == NULL || c->err) {
        fprintf(stderr, "connect: %s\n", c ? c->errstr : "out of memory");
        return 1;
    }
    redisReply *r = redisCommandArgv(c, argc - 3, (const char **)(argv + 3), NULL);
    if (r == NULL) { fprintf(stderr, "command: %s\n", c->errstr); return 1; }
    int status = 0;
    switch (r->type) {
    case REDIS_REPLY_INTEGER: printf("%lld\n", r->integer); break;
    case REDIS_REPLY_STRING: case REDIS_REPLY_STATUS: printf("%s\n", r->str); break;
    case REDIS_REPLY_ERROR: fprintf(stderr, "%s\n", r->str); status = 1; break;
    default: printf("null\n");
    }
    freeReplyObject(r);
    redisFree(c);
    return status;
}
