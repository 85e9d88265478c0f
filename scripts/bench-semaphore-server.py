#!/usr/bin/env python3
"""Server instructions per RedisSemaphore cycle (valgrind --tool=callgrind on a private
redis-server): a steady measure of the acquire script's cost on a noisy machine, where
INFO commandstats' microseconds swing with the load. Next to it: a single SET, the
Redlock cycle (SET NX PX + pottery's release script) and an empty script given the
same keys and arguments (the floor of any acquire script).

    python3 scripts/bench-semaphore-server.py [CALLS]     (default 2000; about a minute)

Each row: callgrind zeroed, CALLS cycles sent in pipelined batches of 100 (the
round trips are not what is counted), callgrind dumped; instructions / CALLS.
Needs valgrind, redis-server and redis-py. Prints a Markdown table.
"""
import glob
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid

from redis import Redis

calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = open(os.path.join(root, "Sources/PotteryKit/Primitives/SemaphoreScripts.swift")).read()
acquire = textwrap.dedent(re.search(r'static let acquire = RedisScript\("""\n(.*?)\n *"""\)', source, re.S).group(1))
redlock_source = open(os.path.join(root, "Sources/PotteryKit/Primitives/RedlockScripts.swift")).read()
release = re.search(r'static let release = RedisScript\("""\n(.*?)\n *"""\)', redlock_source, re.S).group(1)

workdir = tempfile.mkdtemp(prefix="pottery-semaphore-server.")
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
server = subprocess.Popen(
    ["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir}/callgrind.out",
     "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
redis = Redis(port=port, socket_timeout=120)
for _ in range(600):
    try:
        redis.ping()
        break
    except Exception:
        time.sleep(0.1)
keys = ["semaphore:{bench}", "semaphore:{bench}:waiters", "semaphore:{bench}:waiting"]
acquire_sha, empty_sha, release_sha = (redis.script_load(s) for s in (acquire, "return 1", release))


def cycle(pipe, kind, token):
    if kind == "set":
        pipe.set("bench:set", "v")
    elif kind == "redlock":
        pipe.set("redlock:bench", token, nx=True, px=10000)
        pipe.evalsha(release_sha, 1, "redlock:bench", token)
    else:
        pipe.evalsha(acquire_sha if kind == "semaphore" else empty_sha, 3, *keys, token, "4", "10000", "")
        pipe.zrem(keys[0], token)


dumps = 0


def measure(kind):
    global dumps
    for count, timed in ((200, False), (calls, True)):
        if timed:
            subprocess.run(["callgrind_control", "-z", str(server.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for _ in range(count // 100):
            pipe = redis.pipeline(transaction=False)
            for _ in range(100):
                cycle(pipe, kind, str(uuid.uuid4()))
            for reply in pipe.execute():
                assert kind != "semaphore" or reply in (1, 0, True) or reply > 0, reply
    subprocess.run(["callgrind_control", "-d", "bench_" + kind, str(server.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    dumps += 1
    path = f"{workdir}/callgrind.out.{dumps}"
    for _ in range(3000):
        if os.path.exists(path) and "totals:" in open(path).read():
            break
        time.sleep(0.1)
    return int(re.search(r"^totals:\s*(\d+)", open(path).read(), re.M).group(1)) / calls


try:
    rows = [(kind, measure(kind)) for kind in ("set", "redlock", "empty", "semaphore")]
finally:
    server.terminate()
    server.wait()
    for path in glob.glob(workdir + "/*"):
        os.remove(path)
    os.rmdir(workdir)
titles = {
    "set": "single SET",
    "redlock": "Redlock cycle: SET NX PX + pottery's release script (EVALSHA)",
    "empty": "`return 1` by EVALSHA with the acquire's 3 keys and 4 arguments + ZREM",
    "semaphore": "RedisSemaphore cycle: its acquire script (EVALSHA) + ZREM",
}
per_set = rows[0][1]
print("| server work | instructions per call | ratio to a SET |")
print("|---|---:|---:|")
for kind, instructions in rows:
    print(f"| {titles[kind]} | {instructions:,.0f} | {instructions / per_set:.1f}x |")
