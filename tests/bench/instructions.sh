#!/usr/bin/env bash
# Instructions per request for the logged-in course page, the lesson page, the profile page and /healthz,
# counted by valgrind's callgrind: unlike requests per second, the count repeats exactly for
# the same binary and data, however busy the machine is, so two builds can be compared in
# any sitting. The data directory is prepared by the plain binary (demo data, enrolment,
# login), then the server is restarted under callgrind and only the measured requests are
# counted.
# Usage: tests/bench/instructions.sh [path/to/release/mahir]   (needs valgrind, curl, python3)
#        N=200 tests/bench/instructions.sh BIN                  (requests per page)
#        ANNOTATE=1 ...                                         (also the top functions)
#        KEEP=dir ...                    (keeps each page's profile for callgrind_annotate)
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18083}"
N="${N:-100}"
PASS="bench-sandi-panjang"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
PID=""
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if curl -sf "$BASE/healthz" >/dev/null 2>&1; then
  echo "something already listens on port $PORT" >&2
  exit 1
fi
serve() {
  MAHIR_DATA_DIR="$WORK/data" MAHIR_LISTEN="127.0.0.1:$PORT" MAHIR_DEMO_PASSWORD="$PASS" \
    MAHIR_LOG=warn "$@" serve >>"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && return; sleep 0.2; done
  echo "Mahir did not start" >&2
  cat "$WORK/server.log" >&2
  exit 1
}
stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

serve "$BIN"
T=$(curl -sf -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"learner3\",\"password\":\"$PASS\"}" | json 'd["token"]')
COURSE=$(curl -sf "$BASE/api/v1/courses?q=Keamanan" -H "authorization: Bearer $T" | json 'd["items"][0]["id"]')
LESSON=$(curl -sf "$BASE/api/v1/courses/$COURSE" -H "authorization: Bearer $T" \
  | json 'd["modules"][1]["lessons"][0]["id"]')
curl -sf -o /dev/null -X POST "$BASE/api/v1/courses/$COURSE/enrol" -H "authorization: Bearer $T"
JAR="$WORK/jar"
csrf=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -sf -o /dev/null -c "$JAR" -b "$JAR" -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "username=learner3" --data-urlencode "password=$PASS" "$BASE/login"
stop

serve valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/cg.%p" "$BIN"
# One page's requests, counted; prints instructions per request.
count() {
  local name="$1" url="$2" expect="$3"
  for _ in $(seq 1 10); do curl -sf -o /dev/null -b "$JAR" "$url"; done
  callgrind_control -z "$PID" >/dev/null 2>&1
  callgrind_control -i on "$PID" >/dev/null 2>&1
  for _ in $(seq 1 "$N"); do
    body=$(curl -sf -b "$JAR" "$url")
    [[ "$body" == *"$expect"* ]] || { echo "$name: unexpected body" >&2; exit 1; }
  done
  callgrind_control -i off "$PID" >/dev/null 2>&1
  callgrind_control -d "$name" "$PID" >/dev/null 2>&1
  local file total
  file=$(ls -t "$WORK"/cg.* | head -1)
  total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$file" "$KEEP/$name.callgrind"; fi
  printf '%-12s %12s instructions per request (%s requests)\n' "$name" "$((total / N))" "$N"
  if [ -n "${ANNOTATE:-}" ]; then
    callgrind_annotate --inclusive=no "$file" 2>/dev/null | sed -n '/file:function/,$p' | head -40 || true
  fi
}
count healthz "$BASE/healthz" "ok"
count course "$BASE/courses/$COURSE" "Kemajuan:"
count lesson "$BASE/lessons/$LESSON" "Kata sandi dan verifikasi dua langkah"
count profile "$BASE/profile" "Riwayat pelatihan"
