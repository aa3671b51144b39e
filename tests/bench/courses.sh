#!/usr/bin/env bash
# Load benchmark of the course page and a lesson page (16 connections, each a different
# enrolled learner, every body checked) next to /healthz in the same run; then the download
# of a 200 MB material through Mahir against `cat` of the stored file, and the server's RSS
# while 20 clients stream it at once.
# Usage: tests/bench/courses.sh [path/to/release/mahir]   (needs wrk, curl, python3)
#        PAGES_ONLY=1 DURATION=10s tests/bench/courses.sh BIN   (the page runs only)
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18081}"
DURATION="${DURATION:-20s}"
PASS="bench-sandi-panjang"
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

rss() { awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$PID/status"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
token() {
  curl -sf -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" | json 'd["token"]'
}

ADMIN=$(token admin)
UNIT=$(curl -sf "$BASE/api/v1/units" -H "authorization: Bearer $ADMIN" \
  | json '[u["id"] for u in d["items"] if u["code"]=="DPMPTSP"][0]')
for i in $(seq 1 7); do
  curl -sf -o /dev/null -X POST "$BASE/api/v1/employees" -H "authorization: Bearer $ADMIN" \
    -H 'content-type: application/json' \
    -d "{\"nip\":\"19900101201903100$i\",\"name\":\"Peserta Beban $i\",\"username\":\"bench$i\",\"unit_id\":\"$UNIT\",\"password\":\"$PASS\"}"
done
COURSE=$(curl -sf "$BASE/api/v1/courses?q=Keamanan" -H "authorization: Bearer $ADMIN" | json 'd["items"][0]["id"]')
LESSON=$(curl -sf "$BASE/api/v1/courses/$COURSE" -H "authorization: Bearer $ADMIN" \
  | json 'd["modules"][1]["lessons"][0]["id"]')

USERS="admin unitadmin instructor mentor learner1 learner2 learner3 learner4 learner5 bench1 bench2 bench3 bench4 bench5 bench6 bench7"
COOKIES=()
for u in $USERS; do
  T=$(token "$u")
  curl -sf -o /dev/null -X POST "$BASE/api/v1/courses/$COURSE/enrol" -H "authorization: Bearer $T"
  JAR="$WORK/jar-$u"
  browser_login "$u" "$JAR"
  COOKIES+=("$(awk '$6=="mahir_session" {print "mahir_session=" $7}' "$JAR")")
done

# One wrk thread per connection, so each connection keeps one user's cookie.
script() {
  echo "local cookies = {"
  for c in "${COOKIES[@]}"; do echo "  \"$c\","; done
  echo "}"
  echo "local expect = \"$1\""
  cat <<'LUA'
local n = 0
local threads = {}
function setup(thread)
  n = n + 1
  thread:set("cookie", cookies[n])
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  wrk.headers["Cookie"] = cookie
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("unexpected responses: %d\n", total))
end
LUA
}
script "Kemajuan:" >"$WORK/course.lua"
script "Kata sandi dan verifikasi dua langkah" >"$WORK/lesson.lua"

echo "server RSS idle: $(rss)"
echo "--- /healthz"
wrk -t 2 -c 16 -d "$DURATION" --latency "$BASE/healthz" | grep -E "Requests/sec|99%|Non-2xx|Socket"
echo "--- /courses/{id} (16 enrolled learners, body checked)"
wrk -t 16 -c 16 -d "$DURATION" --latency -s "$WORK/course.lua" "$BASE/courses/$COURSE" \
  | grep -E "Requests/sec|99%|Non-2xx|Socket|unexpected"
echo "--- /lessons/{id} (16 enrolled learners, body checked)"
wrk -t 16 -c 16 -d "$DURATION" --latency -s "$WORK/lesson.lua" "$BASE/lessons/$LESSON" \
  | grep -E "Requests/sec|99%|Non-2xx|Socket|unexpected"
echo "server RSS after the page runs: $(rss)"
# PAGES_ONLY=1 stops here (for A/B runs of the pages).
[ -n "${PAGES_ONLY:-}" ] && exit 0

# A 200 MB material, uploaded by the course's instructor to the lesson.
head -c 200000000 /dev/urandom >"$WORK/besar.bin"
INSTRUCTOR=$(token instructor)
MATERIAL=$(curl -sf -X POST "$BASE/api/v1/lessons/$LESSON/materials" -H "authorization: Bearer $INSTRUCTOR" \
  -F "file=@$WORK/besar.bin" | json 'd["id"]')
STORED=$(find "$WORK/data/objects" -type f -size +100M | head -1)
LEARNER=$(token learner1)
cat "$STORED" >/dev/null # warm the page cache for both readers
t0=$(date +%s.%N); cat "$STORED" >/dev/null; t1=$(date +%s.%N)
CAT=$(echo "200 / ($t1 - $t0)" | bc -l)
t0=$(date +%s.%N)
curl -sf -o /dev/null -H "authorization: Bearer $LEARNER" "$BASE/api/v1/materials/$MATERIAL"
t1=$(date +%s.%N)
MAHIR=$(echo "200 / ($t1 - $t0)" | bc -l)
GOT=$(curl -sf -H "authorization: Bearer $LEARNER" "$BASE/api/v1/materials/$MATERIAL" | sha256sum | cut -d' ' -f1)
WANT=$(sha256sum "$WORK/besar.bin" | cut -d' ' -f1)
[ "$GOT" = "$WANT" ] && echo "download intact (SHA-256): yes" || echo "download intact (SHA-256): NO"
printf 'cat of the stored file to /dev/null: %.0f MB/s\n' "$CAT"
printf 'download through Mahir (1 client, curl to /dev/null): %.0f MB/s (%.2f of cat)\n' "$MAHIR" "$(echo "$MAHIR / $CAT" | bc -l)"
echo "--- 20 clients streaming the 200 MB material at once"
PEAK=0
CLIENTS=()
t0=$(date +%s.%N)
for i in $(seq 1 20); do
  curl -sf -o /dev/null -H "authorization: Bearer $LEARNER" "$BASE/api/v1/materials/$MATERIAL" &
  CLIENTS+=("$!")
done
running() { for c in "${CLIENTS[@]}"; do kill -0 "$c" 2>/dev/null && return 0; done; return 1; }
while running; do
  R=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$PID/status")
  [ "$R" -gt "$PEAK" ] && PEAK=$R
  sleep 0.05
done
t1=$(date +%s.%N)
printf '20 x 200 MB in %.1f s (%.0f MB/s in all); peak server RSS %d MB\n' \
  "$(echo "$t1 - $t0" | bc -l)" "$(echo "4000 / ($t1 - $t0)" | bc -l)" "$PEAK"
