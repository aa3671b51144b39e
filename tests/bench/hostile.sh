#!/usr/bin/env bash
# Hostile input against a running release build: the largest and most deeply nested texts
# every endpoint accepts (a 64 KiB lesson of `>`, a 64 KiB table, a 2 MiB question file
# with deeply nested Markdown options, a 5,000-question file), posted one after another
# while a second client measures /healthz. Prints each post's time and /healthz latency.
# Usage: tests/bench/hostile.sh [path/to/release/mahir]   (needs curl, python3)
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18082}"
BASE="http://127.0.0.1:$PORT"
PASS="bench-sandi-panjang"
WORK="$(mktemp -d)"
trap 'kill "$PID" "${PROBE:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

MAHIR_DATA_DIR="$WORK/data" MAHIR_LISTEN="127.0.0.1:$PORT" MAHIR_DEMO_PASSWORD="$PASS" \
  MAHIR_LOG=warn "$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -sf -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"instructor\",\"password\":\"$PASS\"}" | json 'd["token"]')
auth=(-H "authorization: Bearer $TOKEN")
COURSE=$(curl -sf "${auth[@]}" -H 'content-type: application/json' "$BASE/api/v1/courses" \
  -d '{"code":"SERANG","title":"Serangan","category":"teknis","jp":1}' | json 'd["id"]')
MODULE=$(curl -sf "${auth[@]}" -H 'content-type: application/json' "$BASE/api/v1/courses/$COURSE/modules" \
  -d '{"title":"Modul"}' | json 'd["id"]')

python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def lesson(name, body):
    open(f"{w}/{name}.json", "w").write(json.dumps({"title": name, "kind": "text", "body_markdown": body}))
lesson("quotes", ">" * 65_000 + " isi")
lesson("table", "|a|b|\n|-|-|\n" + "|x|y|\n" * 10_900)
lesson("raw", "<div>" * 13_000)
lesson("emphasis", "*" * 32_000 + "a" + "*" * 32_000)
# 2 MiB of GIFT: options of 19,000 '>' each, in Markdown.
q = "::Q{i}::[markdown]Pilih. {{=" + ">" * 19_000 + "ya ~tidak}}\n\n"
open(f"{w}/nested.gift", "w").write("".join(q.format(i=i) for i in range(100))[: 2 * 1024 * 1024 - 100])
open(f"{w}/many.gift", "w").write("".join(f"::S{i}::Soal {i}? {{=a ~b ~c}}\n\n" for i in range(5000)))
PY

# /healthz every 20 ms for the whole run, each timed.
( while true; do curl -s -o /dev/null -w '%{time_total}\n' "$BASE/healthz"; sleep 0.02; done ) >"$WORK/healthz.txt" &
PROBE=$!
sleep 1
post() {  # name, path, content type, file
  curl -s -o "$WORK/out" -w "%{http_code} %{time_total}\n" "${auth[@]}" -H "content-type: $3" \
    --data-binary "@$4" "$BASE$2" \
    | awk -v name="$1" -v size="$(stat -c %s "$4")" '{ printf "%-12s %s in %6.0f ms (%d bytes)\n", name, $1, $2 * 1000, size }'
}
for kind in quotes table raw emphasis; do
  post "$kind" "/api/v1/modules/$MODULE/lessons" application/json "$WORK/$kind.json"
done
post nested.gift "/api/v1/courses/$COURSE/questions/import" text/plain "$WORK/nested.gift"
post many.gift "/api/v1/courses/$COURSE/questions/import" text/plain "$WORK/many.gift"
sleep 1
kill "$PROBE"
python3 - "$WORK/healthz.txt" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
p = lambda q: t[min(len(t) - 1, round((len(t) - 1) * q))]
print(f"/healthz during the posts: {len(t)} probes, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {t[-1]:.1f} ms")
PY
echo "server CPU time in all: $(ps -o cputime= -p "$PID")"
