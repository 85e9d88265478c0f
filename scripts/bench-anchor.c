/* The C anchors of scripts/bench-primitives.sh: what a plain blocking hiredis
 * program achieves for the same round trips as PotteryKit's primitives, so the
 * table can say how far from the machine's limit a ratio is.
 *
 *   bench-anchor MODE SECONDS PORT[,PORT...]
 *
 * MODE: set-loop     one SET at a time on the first port
 *       redlock      SET key token NX PX 10000, then the check-and-delete script
 *                    by EVALSHA: a Redlock acquire+release cycle; with several
 *                    ports each step goes to every server at once
 *       fanout       one SET written to every port at once, then every reply read:
 *                    one round trip to N servers (what NextID's uncontended draw is)
 *       fanout-script  NextID's draw in C: a conditional-set script (pottery's, by EVALSHA)
 *                    written to every port at once, then every reply read
 *       hget-pipeline  HGET in pipelined batches of 100 (operations count commands)
 *   bench-anchor semaphore SECONDS PORT SCRIPT-FILE
 *                    RedisSemaphore's cycle in C: its acquire script (the file, taken from
 *                    SemaphoreScripts.swift by bench-primitives.sh) by EVALSHA with its 3 keys
 *                    and a 36-character token, limit 4, a 10 s lease, no queueing, then the
 *                    plain ZREM of a release: the machine's limit for the semaphore's cycle
 *
 * The container anchors of scripts/bench-containers.sh: the plain Redis command
 * behind each container operation, sent by a blocking hiredis loop, with the
 * same bytes as PotteryKit sends (JSON strings "v0".."v999"). Each chunk starts
 * from a fresh key (refilled, untimed, for the pops and gets); only the chunks
 * are timed.
 *       dict-set dict-get set-add list-append list-pop deque-appendleft deque-appendleft-maxlen
 *       deque-popleft counter-update queue-put queue-get
 *                    one command at a time (queue-get: XREAD COUNT 1 + XDEL,
 *                    the two round trips of a claim)
 *       dict-update set-add-many list-extend counter-update-many queue-put-many
 *                    per element: with PIPE 100 (the default) single-element
 *                    commands pipelined 100 at a time; with PIPE 0 one
 *                    variadic command of 1000 elements (HSET, SADD, RPUSH only)
 *   bench-anchor MODE SECONDS PORT [PIPE]
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

/* One element's JSON text, as pottery stores the string "v<i>". */
static const char *item(char *buffer, long i) {
    snprintf(buffer, 32, "\"v%ld\"", i);
    return buffer;
}

static void drain(redisContext *c, long replies) {
    redisReply *r;
    for (long k = 0; k < replies; k++) {
        if (redisGetReply(c, (void **)&r) != REDIS_OK) { fprintf(stderr, "bench-anchor: read failed\n"); exit(1); }
        freeReplyObject(must(c, r));
    }
}

/* Untimed: empty the key, then fill it with 1000 elements where the chunk takes them. */
static void prepare(redisContext *c, const char *mode, const char *key) {
    char v[32];
    freeReplyObject(must(c, redisCommand(c, "DEL %s", key)));
    if (!strcmp(mode, "list-pop") || !strcmp(mode, "deque-popleft") || !strcmp(mode, "dict-get")) {
        for (long i = 0; i < 1000; i++) {
            if (!strcmp(mode, "dict-get")) redisAppendCommand(c, "HSET %s %s %s", key, item(v, i), v);
            else redisAppendCommand(c, "RPUSH %s %s", key, item(v, i));
        }
        drain(c, 1000);
    } else if (!strcmp(mode, "queue-get")) {
        for (long i = 0; i < 1000; i++) redisAppendCommand(c, "XADD %s * item %s", key, item(v, i));
        drain(c, 1000);
    }
}

/* One single operation: the command behind it, element "v<i>" (NULL: not a single-operation mode). */
static redisReply *single_op(redisContext *c, const char *mode, const char *key, long i) {
    char v[32];
    item(v, i);
    if (!strcmp(mode, "dict-set")) return redisCommand(c, "HSET %s %s %s", key, v, v);
    if (!strcmp(mode, "dict-get")) return redisCommand(c, "HGET %s %s", key, v);
    if (!strcmp(mode, "set-add")) return redisCommand(c, "SADD %s %s", key, v);
    if (!strcmp(mode, "list-append")) return redisCommand(c, "RPUSH %s %s", key, v);
    if (!strcmp(mode, "list-pop")) return redisCommand(c, "RPOP %s", key);
    if (!strcmp(mode, "deque-appendleft")) return redisCommand(c, "LPUSH %s %s", key, v);
    if (!strcmp(mode, "deque-appendleft-maxlen")) {  /* a bounded deque's push: one script, as PotteryKit's */
        static char sha[41];
        if (!sha[0]) {
            redisReply *loaded = must(c, redisCommand(c, "SCRIPT LOAD %s",
                "if redis.call('LLEN', KEYS[1]) > tonumber(ARGV[2]) then return redis.error_reply('too long') end "
                "redis.call(ARGV[1], KEYS[1], ARGV[3]) redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1) "
                "return redis.call('LLEN', KEYS[1])"));
            snprintf(sha, sizeof sha, "%s", loaded->str);
            freeReplyObject(loaded);
        }
        return redisCommand(c, "EVALSHA %s 1 %s LPUSH 100 %s", sha, key, v);
    }
    if (!strcmp(mode, "deque-popleft")) return redisCommand(c, "LPOP %s", key);
    if (!strcmp(mode, "counter-update")) return redisCommand(c, "HINCRBY %s %s 1", key, v);
    if (!strcmp(mode, "queue-put")) return redisCommand(c, "XADD %s * item %s", key, v);
    if (!strcmp(mode, "queue-get")) {  /* look at the oldest entry, then claim it */
        redisReply *r = must(c, redisCommand(c, "XREAD COUNT 1 STREAMS %s 0-0", key));
        redisReply *id = r->element[0]->element[1]->element[0]->element[0];
        redisReply *claimed = redisCommand(c, "XDEL %s %b", key, id->str, (size_t)id->len);
        freeReplyObject(r);
        return claimed;
    }
    return NULL;
}

/* Timed: one chunk of 1000 single operations, or 10 batches of 1000 elements. Returns the elements. */
static long chunk(redisContext *c, const char *mode, const char *key, int pipe) {
    char v[32];
    redisReply *r = single_op(c, mode, key, 0);
    if (r != NULL) {
        freeReplyObject(must(c, r));
        for (long i = 1; i < 1000; i++) freeReplyObject(must(c, single_op(c, mode, key, i)));
        return 1000;
    }
    const char *single = !strcmp(mode, "dict-update") ? "HSET" : !strcmp(mode, "set-add-many") ? "SADD"
                       : !strcmp(mode, "list-extend") ? "RPUSH" : !strcmp(mode, "counter-update-many") ? "HINCRBY"
                       : !strcmp(mode, "queue-put-many") ? "XADD" : NULL;
    if (single == NULL) { fprintf(stderr, "bench-anchor: unknown mode %s\n", mode); exit(2); }
    for (long b = 0; b < 10; b++) {
        if (pipe == 0) {  /* one variadic command of 1000 elements */
            const char *argv[2002];
            size_t lens[2002];
            static char texts[2000][32];
            int n = 0;
            argv[n] = single; lens[n++] = strlen(single);
            argv[n] = key; lens[n++] = strlen(key);
            for (long i = 0; i < 1000; i++) {
                int len = snprintf(texts[2 * i], 32, "\"v%ld\"", b * 1000 + i);
                argv[n] = texts[2 * i]; lens[n++] = len;
                if (single[0] == 'H') { argv[n] = texts[2 * i]; lens[n++] = len; }
            }
            if (single[0] == 'X' || single[1] == 'I') { fprintf(stderr, "bench-anchor: no variadic form of %s\n", single); exit(2); }
            freeReplyObject(must(c, redisCommandArgv(c, n, argv, lens)));
            continue;
        }
        for (long i = 0; i < 1000; i++) {
            item(v, b * 1000 + i);
            switch (single[0] == 'H' ? single[1] : single[0]) {
            case 'S': redisAppendCommand(c, "HSET %s %s %s", key, v, v); break;
            case 'I': redisAppendCommand(c, "HINCRBY %s %s 1", key, v); break;
            case 'A': redisAppendCommand(c, "SADD %s %s", key, v); break;
            case 'R': redisAppendCommand(c, "RPUSH %s %s", key, v); break;
            case 'X': redisAppendCommand(c, "XADD %s * item %s", key, v); break;
            }
            if ((i + 1) % pipe == 0) drain(c, pipe);
        }
        drain(c, 1000 % pipe);
    }
    return 10000;
}

static int containers(const char *mode, double seconds, redisContext *c, int pipe) {
    char key[64];
    snprintf(key, sizeof key, "bench:anchor:%s:%d", mode, (int)(now() * 1000) % 1000000);
    long operations = 0;
    double timed = 0;
    while (timed < seconds) {
        prepare(c, mode, key);
        double start = now();
        operations += chunk(c, mode, key, pipe);
        timed += now() - start;
    }
    freeReplyObject(must(c, redisCommand(c, "DEL %s", key)));
    printf("{\"mode\": \"%s\", \"operations\": %ld, \"seconds\": %f, \"per_second\": %f}\n",
           mode, operations, timed, operations / timed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) { fprintf(stderr, "usage: bench-anchor MODE SECONDS PORT[,PORT...] [PIPE]\n"); return 2; }
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
    redisReply *r = NULL;
    char sha[41];
    for (int i = 0; i < n; i++) {
        r = must(c[i], redisCommand(c[i], "SCRIPT LOAD %s", release));
        snprintf(sha, sizeof sha, "%s", r->str);
        freeReplyObject(r);
    }

    long operations = 0;
    double start = now(), end = start + seconds;
    if (strcmp(mode, "set-loop") == 0) {
        while (now() < end) {
            freeReplyObject(must(c[0], redisCommand(c[0], "SET bench:anchor v")));
            operations++;
        }
    } else if (strcmp(mode, "redlock") == 0 && n == 1) {
        while (now() < end) {
            freeReplyObject(must(c[0], redisCommand(c[0], "SET redlock:bench:anchor t%ld NX PX 10000", operations)));
            freeReplyObject(must(c[0], redisCommand(c[0], "EVALSHA %s 1 redlock:bench:anchor t%ld", sha, operations)));
            operations++;
        }
    } else if (strcmp(mode, "redlock") == 0) {  /* the same two round trips, each to every server at once */
        while (now() < end) {
            for (int step = 0; step < 2; step++) {
                for (int i = 0; i < n; i++) {
                    int done = 0;
                    if (step == 0) redisAppendCommand(c[i], "SET redlock:bench:anchor t%ld NX PX 10000", operations);
                    else redisAppendCommand(c[i], "EVALSHA %s 1 redlock:bench:anchor t%ld", sha, operations);
                    while (!done) if (redisBufferWrite(c[i], &done) != REDIS_OK) { fprintf(stderr, "bench-anchor: write failed\n"); return 1; }
                }
                for (int i = 0; i < n; i++) {
                    if (redisGetReply(c[i], (void **)&r) != REDIS_OK) { fprintf(stderr, "bench-anchor: read failed\n"); return 1; }
                    freeReplyObject(must(c[i], r));
                }
            }
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
    } else if (strcmp(mode, "fanout-script") == 0) {
        /* NextID's draw in plain C: a conditional-set script (GET, compare, SET) by EVALSHA on
           every server at once, proposing the next value; every reply read. */
        const char *propose = "local v = redis.call('GET', KEYS[1])\n"
                              "if not v or tonumber(v) < tonumber(ARGV[1]) then\n"
                              "  redis.call('SET', KEYS[1], ARGV[2]) return {1, ARGV[2]}\n"
                              "end\n"
                              "return {0, v}\n";
        char proposeSha[41];
        for (int i = 0; i < n; i++) {
            r = must(c[i], redisCommand(c[i], "SCRIPT LOAD %s", propose));
            snprintf(proposeSha, sizeof proposeSha, "%s", r->str);
            freeReplyObject(r);
            freeReplyObject(must(c[i], redisCommand(c[i], "DEL nextid:bench:anchor")));
        }
        while (now() < end) {
            for (int i = 0; i < n; i++) {
                int done = 0;
                redisAppendCommand(c[i], "EVALSHA %s 1 nextid:bench:anchor %ld %ld", proposeSha, operations + 1, operations + 1);
                while (!done) if (redisBufferWrite(c[i], &done) != REDIS_OK) { fprintf(stderr, "bench-anchor: write failed\n"); return 1; }
            }
            for (int i = 0; i < n; i++) {
                if (redisGetReply(c[i], (void **)&r) != REDIS_OK) { fprintf(stderr, "bench-anchor: read failed\n"); return 1; }
                freeReplyObject(must(c[i], r));
            }
            operations++;
        }
    } else if (strcmp(mode, "semaphore") == 0 && argc == 5) {
        static char text[65536];
        FILE *file = fopen(argv[4], "r");
        if (file == NULL) { fprintf(stderr, "bench-anchor: cannot read %s\n", argv[4]); return 1; }
        text[fread(text, 1, sizeof text - 1, file)] = 0;
        fclose(file);
        r = must(c[0], redisCommand(c[0], "SCRIPT LOAD %s", text));
        char acquireSha[41];
        snprintf(acquireSha, sizeof acquireSha, "%s", r->str);
        freeReplyObject(r);
        char token[48];
        while (now() < end) {
            snprintf(token, sizeof token, "00000000-0000-4000-8000-%012ld", operations % 1000000000000L);
            r = must(c[0], redisCommand(c[0], "EVALSHA %s 3 semaphore:{anchor} semaphore:{anchor}:waiters "
                                              "semaphore:{anchor}:waiting %s 4 10000 %s", acquireSha, token, ""));
            if (r->type != REDIS_REPLY_INTEGER || r->integer < 1) { fprintf(stderr, "bench-anchor: not admitted\n"); return 1; }
            freeReplyObject(r);
            freeReplyObject(must(c[0], redisCommand(c[0], "ZREM semaphore:{anchor} %s", token)));
            operations++;
        }
    } else if (strcmp(mode, "hget-pipeline") == 0) {
        freeReplyObject(must(c[0], redisCommand(c[0], "HSET bench:anchor:hash field 1")));
        while (now() < end) {
            for (int i = 0; i < 100; i++) redisAppendCommand(c[0], "HGET bench:anchor:hash field");
            for (int i = 0; i < 100; i++) {
                if (redisGetReply(c[0], (void **)&r) != REDIS_OK) { fprintf(stderr, "bench-anchor: read failed\n"); return 1; }
                freeReplyObject(must(c[0], r));
            }
            operations += 100;
        }
    } else {
        return containers(mode, seconds, c[0], argc == 5 ? atoi(argv[4]) : 100);
    }
    double took = now() - start;
    printf("{\"mode\": \"%s\", \"servers\": %d, \"operations\": %ld, \"seconds\": %f, \"per_second\": %f}\n",
           mode, n, operations, took, operations / took);
    return 0;
}
