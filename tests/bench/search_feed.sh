#!/usr/bin/env bash
# The search indexer following the change feed: 10,000 lesson edits through the API (16
# at a time), the server's memory sampled while the indexer applies them, then the lag
# from an edit's answer to its words being found, measured on 20 more edits.
# Usage: tests/bench/search_feed.sh [path/to/release/mahir]   (needs curl, python3)
#        CHANGES=10000 tests/bench/search_feed.sh BIN
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18084}"
CHANGES="${CHANGES:-10000}"
PASS="bench-sandi-panjang"
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
echo "server RSS idle: $(( $(rss_kb) / 1024 )) MB"
( peak=0; while kill -0 "$PID" 2>/dev/null; do r=$(rss_kb || echo 0); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$WORK/peak"; sleep 0.2; done ) &
PROBE=$!

python3 - "$BASE" "$PASS" "$CHANGES" <<'PY'
import json, sys, time, threading, urllib.request, urllib.parse
base, password, changes = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req) as r:
        text = r.read()
        return json.loads(text) if text else None
admin = call("POST", "/api/v1/auth/token", body={"username": "admin", "password": password})["token"]
course = call("POST", "/api/v1/courses", admin, {"code": "FEED-1", "title": "Umpan Perubahan", "category": "teknis", "jp": 2})
module = call("POST", f"/api/v1/courses/{course['id']}/modules", admin, {"title": "Modul"})
lessons = [call("POST", f"/api/v1/modules/{module['id']}/lessons", admin,
    {"title": f"Bacaan {i}", "kind": "text", "body_markdown": "Teks awal."})["id"] for i in range(16)]
call("POST", f"/api/v1/courses/{course['id']}/publish", admin)
def word(i):
    # Ten letters from i: far apart for consecutive i, so a typo-tolerant match of an
    # older edit cannot pass for the new one.
    letters = "bcdfghjklmnpqrstvwxz"
    x = (i * 2654435761 + 12345) % (20 ** 10)
    out = ""
    for _ in range(10):
        out += letters[x % 20]
        x //= 20
    return out
def found(w):
    q = urllib.parse.urlencode({"q": w})
    hits = call("GET", f"/api/v1/search?{q}", admin)["hits"]
    return any(f"<mark>{w}</mark>" in h["snippet"] for h in hits)
done = [0]
lock = threading.Lock()
def worker(k):
    for i in range(k, changes, 16):
        call("PATCH", f"/api/v1/lessons/{lessons[k]}", admin, {"body_markdown": f"Perubahan {word(i)} pada bacaan."})
        with lock:
            done[0] += 1
start = time.time()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
for t in threads: t.start()
for t in threads: t.join()
took = time.time() - start
print(f"{done[0]} edits in {took:.1f} s = {done[0]/took:.0f} edits/s (16 at a time)")
# The last edit of every lesson is searchable once the indexer caught up.
start = time.time()
last = [max(i for i in range(k, changes, 16)) for k in range(16) if k < changes]
pending = set(last)
while pending and time.time() - start < 60:
    pending = {i for i in pending if not found(word(i))}
    time.sleep(0.05)
print(f"caught up {time.time() - start:.2f} s after the last edit was answered ({len(pending)} of 16 lessons not yet)")
lags = []
for n in range(20):
    w = word(changes + 1000 + n)
    call("PATCH", f"/api/v1/lessons/{lessons[0]}", admin, {"body_markdown": f"Kata {w} di sini."})
    t = time.time()
    while not found(w) and time.time() - t < 10:
        time.sleep(0.01)
    lags.append(time.time() - t)
lags.sort()
print(f"lag from an edit's answer to its words found: median {lags[10]*1000:.0f} ms, max {lags[-1]*1000:.0f} ms (20 edits, indexer tick 750 ms)")
PY
sleep 1
echo "server RSS peak while following the feed: $(( $(cat "$WORK/peak") / 1024 )) MB; after: $(( $(rss_kb) / 1024 )) MB"
