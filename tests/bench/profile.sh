#!/usr/bin/env bash
# Load benchmark of the competency profile: the profile page and GET /api/v1/me/profile
# (16 connections, each a different employee with 50 completion records, every body
# checked) next to /healthz in the same run.
# Usage: tests/bench/profile.sh [path/to/release/mahir]   (needs wrk, curl, python3)
#        DURATION=10s RECORDS=50 tests/bench/profile.sh BIN
set -euo pipefail
BIN="${1:-target/release/mahir}"
PORT="${PORT:-18082}"
DURATION="${DURATION:-20s}"
RECORDS="${RECORDS:-50}"
PASS="bench-sandi-panjang"
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

rss() { awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$PID/status"; }

# 16 employees in Pranata Komputer Ahli Pertama (ten required competencies), 50 published
# one-lesson courses that each develop a competency, and every employee completing each
# of them: 800 completion records made through the API as learners make them.
python3 - "$BASE" "$PASS" "$RECORDS" >"$WORK/setup.out" <<'PY'
import json, sys, urllib.request
base, password, records = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req) as r:
        text = r.read()
        return json.loads(text) if text else None
def token(user):
    return call("POST", "/api/v1/auth/token", body={"username": user, "password": password})["token"]
admin = token("admin")
budi = call("GET", "/api/v1/employees?q=learner1", admin)["items"][0]
codes = ["T.PD", "T.KI", "M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08"]
users = []
for i in range(16):
    name = f"profil{i:02d}"
    call("POST", "/api/v1/employees", admin, {
        "nip": f"199001012019031{i + 101:03d}", "name": f"Peserta Profil {i}", "username": name,
        "unit_id": budi["unit"]["id"], "position_id": budi["position"]["id"], "password": password})
    users.append(name)
lessons = []
for n in range(records):
    c = call("POST", "/api/v1/courses", admin, {"code": f"PROFIL-{n:03d}", "title": f"Pelatihan Profil {n}",
        "category": ["teknis", "fungsional", "kepemimpinan", "lainnya"][n % 4], "jp": 2 + n % 5})
    m = call("POST", f"/api/v1/courses/{c['id']}/modules", admin, {"title": "Modul"})
    l = call("POST", f"/api/v1/modules/{m['id']}/lessons", admin,
        {"title": "Bacaan", "kind": "text", "body_markdown": "Teks.", "completion": "marked"})
    call("PUT", f"/api/v1/courses/{c['id']}/competencies", admin, [{"code": codes[n % len(codes)], "level": 1 + n % 3}])
    call("POST", f"/api/v1/courses/{c['id']}/publish", admin)
    lessons.append(l["id"])
tokens = []
for u in users:
    t = token(u)
    tokens.append(t)
    for l in lessons:
        call("POST", f"/api/v1/lessons/{l}/progress", t, {"completed": True})
    got = call("GET", "/api/v1/me/completions?per_page=1", t)["total"]
    assert got == records, (u, got)
print(" ".join(users))
print(" ".join(tokens))
PY
USERS=$(sed -n 1p "$WORK/setup.out")
TOKENS=$(sed -n 2p "$WORK/setup.out")
echo "16 employees with $RECORDS completion records each"

COOKIES=()
for u in $USERS; do
  JAR="$WORK/jar-$u"
  browser_login "$u" "$JAR"
  COOKIES+=("cookie=mahir_session=$(awk '$6=="mahir_session" {print $7}' "$JAR")")
done
HEADERS=()
for t in $TOKENS; do HEADERS+=("authorization=Bearer $t"); done

# One wrk thread per connection, each with its own person's header.
script() {
  local -n list=$1
  echo "local values = {"
  for c in "${list[@]}"; do echo "  \"$c\","; done
  echo "}"
  echo "local expect = \"$2\""
  cat <<'LUA'
local n = 0
local threads = {}
function setup(thread)
  n = n + 1
  thread:set("value", values[n])
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  local k, v = string.match(value, "^([^=]+)=(.*)$")
  wrk.headers[k] = v
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
script COOKIES "Pelatihan Profil" >"$WORK/page.lua"
script HEADERS 'Pelatihan Profil' >"$WORK/api.lua"

echo "server RSS idle: $(rss)"
echo "--- /healthz"
wrk -t 2 -c 16 -d "$DURATION" --latency "$BASE/healthz" | grep -E "Requests/sec|99%|Non-2xx|Socket"
echo "--- /profile (16 employees, $RECORDS records each, body checked)"
wrk -t 16 -c 16 -d "$DURATION" --latency -s "$WORK/page.lua" "$BASE/profile" \
  | grep -E "Requests/sec|99%|Non-2xx|Socket|unexpected"
echo "--- /api/v1/me/profile (16 employees, body checked)"
wrk -t 16 -c 16 -d "$DURATION" --latency -s "$WORK/api.lua" "$BASE/api/v1/me/profile" \
  | grep -E "Requests/sec|99%|Non-2xx|Socket|unexpected"
echo "server RSS after the runs: $(rss)"
