/* The C anchors of scripts/bench-primitives.sh: what a plain blocking hiredis
 * program achieves for the same round trips as PotteryKit's primitives, so the
 * table can say how far from the machine's limit a ratio is.
 *
 *   bench-anchor MODE SECONDS PORT[,PORT...]
 *
 * MODE: set-loop     one SET at a time on the first port
 *       redlock      SET key token NX PX 10000, then the check-and-delete script
 *                    by EVALSHA: a Redlock acquire+release cycle, 1 server
 *       fanout       one SET written to every port at once, then every reply read:
 *                    one round trip to N servers (what NextID's uncontended draw is)
 * Prints {"mode", "operations", "seconds", "per_second"}. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static redisReply *must(redisContext *c, redisReply *r) {
    if (r == NULL || r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "bench-anchor: %s\n", r ? r->str : c->errstr);
        exit(1);
    }
    return r;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: bench-anchor MODE SECONDS PORT[,PORT...]\n"); return 2; }
    const char *mode = argv[1];
    double seconds = atof(argv[2]);
    redisContext *c[16];
    int n = 0;
    for (char *port = strtok(argv[3], ","); port && n < 16; port = strtok(NULL, ",")) {
        c[n] = redisConnect("127.0.0.1", atoi(port));
        if (c[n] == NULL || c[n]->err) { fprintf(stderr, "bench-anchor: cannot connect to %s\n", port); return 1; }
        n++;
    }
    /* pottery 3.0.1's release script, byte for byte (Sources/PotteryKit/Primitives/RedlockScripts.swift). */
    const char *release = "\n                        if redis.call('get', KEYS[1]) == ARGV[1] then\n"
                          "                            return redis.call('del', KEYS[1])\n"
                          "                        else\n                            return 0\n"
                          "                        end\n                    ";
    redisReply *r = must(c[0], redisCommand(c[0], "SCRIPT LOAD %s", release));
    char sha[41];
    snprintf(sha, sizeof sha, "%s", r->str);
    freeReplyObject(r);

    long operations = 0;
    double start = now(), end = start + seconds;
    if (strcmp(mode, "set-loop") == 0) {
        while (now() < end) {
            freeReplyObject(must(c[0], redisCommand(c[0], "SET bench:anchor v")));
            operations++;
        }
    } else if (strcmp(mode, "redlock") == 0) {
        while (now() < end) {
            freeReplyObject(must(c[0], redisCommand(c[0], "SET redlock:bench:anchor t%ld NX PX 10000", operations)));
            freeReplyObject(must(c[0], redisCommand(c[0], "EVALSHA %s 1 redlock:bench:anchor t%ld", sha, operations)));
            operations++;
        }
    } else if (strcmp(mode, "fanout") == 0) {
        while (now() < end) {
            for (int i = 0; i < n; i++) {
                int done = 0;
                redisAppendCommand(c[i], "SET bench:anchor %ld", operations);
                while (!done) if (redisBufferWrite(c[i], &done) != REDIS_OK) { fprintf(stderr, "bench-anchor: write failed\n"); return 1; }
            }
            for (int i = 0; i < n; i++) {
                if (redisGetReply(c[i], (void **)&r) != REDIS_OK) { fprintf(stderr, "bench-anchor: read failed\n"); return 1; }
                freeReplyObject(must(c[i], r));
            }
            operations++;
        }
    } else {
        fprintf(stderr, "bench-anchor: unknown mode %s\n", mode);
        return 2;
    }
    double took = now() - start;
    printf("{\"mode\": \"%s\", \"servers\": %d, \"operations\": %ld, \"seconds\": %f, \"per_second\": %f}\n",
           mode, n, operations, took, operations / took);
    return 0;
}
