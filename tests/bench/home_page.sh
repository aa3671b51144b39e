#!/usr/bin/env bash
# Load benchmark of /healthz and the logged-in home page: 16 connections, each a different
# logged-in user, every response checked. Prints requests/s, p99 latency and server RSS.
# Usage: tests/bench/home_page.sh [path/to/release/mahir]   (needs wrk, curl, python3)
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18080}"
DURATION="${DURATION:-20s}"
PASS="bench-sandi-panjang"
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

rss() { awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$PID/status"; }
# CPU seconds (user + system) the server has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$PID/stat"; }

# Sixteen distinct learners: the demo's nine plus seven more.
TOKEN=$(curl -sf -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASS\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
UNIT=$(curl -sf "$BASE/api/v1/units" -H "authorization: Bearer $TOKEN" \
  | python3 -c 'import json,sys; print([u["id"] for u in json.load(sys.stdin)["items"] if u["code"]=="DPMPTSP"][0])')
for i in $(seq 1 7); do
  curl -sf -o /dev/null -X POST "$BASE/api/v1/employees" -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' \
    -d "{\"nip\":\"19900101201903100$i\",\"name\":\"Peserta Beban $i\",\"username\":\"bench$i\",\"unit_id\":\"$UNIT\",\"password\":\"$PASS\"}"
done
USERS="admin unitadmin instructor mentor learner1 learner2 learner3 learner4 learner5 bench1 bench2 bench3 bench4 bench5 bench6 bench7"
COOKIES=()
for u in $USERS; do
  JAR="$WORK/jar-$u"
  browser_login "$u" "$JAR"
  COOKIES+=("$(awk '$6=="mahir_session" {print "mahir_session=" $7}' "$JAR")")
done

# One wrk thread per connection, so each connection keeps one user's cookie.
{
  echo "local cookies = {"
  for c in "${COOKIES[@]}"; do echo "  \"$c\","; done
  echo "}"
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
  if status ~= 200 or not string.find(body, "Selamat datang", 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("unexpected responses: %d\n", total))
end
LUA
} >"$WORK/home.lua"

echo "server RSS idle: $(rss)"
echo "--- /healthz"
wrk -t 2 -c 16 -d "$DURATION" --latency "$BASE/healthz" | grep -E "Requests/sec|99%|Non-2xx|Socket"
echo "--- / (16 logged-in users, body checked)"
( sleep 10; echo "server RSS under load: $(rss)" ) &
SAMPLER=$!
BEFORE=$(cpu)
wrk -t 16 -c 16 -d "$DURATION" --latency -s "$WORK/home.lua" "$BASE/" | grep -E "Requests/sec|99%|Non-2xx|Socket|unexpected"
echo "server CPU during the home page run: $(echo "$(cpu) - $BEFORE" | bc) s of $(nproc) cores x $DURATION"
wait "$SAMPLER"
echo "server RSS after: $(rss)"
