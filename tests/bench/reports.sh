#!/usr/bin/env bash
# Reports at provincial scale: builds an organisation of EMPLOYEES (default 70,000) with
# `mahir demo --scale`, starts Mahir on it, waits for the first report snapshot, then
# prints p50/p95 of the whole organisation's and a division's dashboard (API and page)
# and of an agency's employee list page, and the time and memory of a full JP-compliance
# export of every employee as CSV and as XLSX.
#
# usage: tests/bench/reports.sh [sqlite|postgres] [EMPLOYEES]
#   BIN (default $CARGO_TARGET_DIR/release/mahir), PORT (8093),
#   PG (default postgres://postgres@127.0.0.1:5432; the database mahir_bench is recreated),
#   KEEP=DIR keeps the data in DIR (SQLite) and, when it is there already, measures it
#   again without building it (PostgreSQL: KEEP=1 keeps mahir_bench the same way)
set -euo pipefail
KIND="${1:-sqlite}"
EMPLOYEES="${2:-70000}"
BIN="${BIN:-${CARGO_TARGET_DIR:-target}/release/mahir}"
PORT="${PORT:-8093}"
PASS="bench-password-1"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

DATA="$WORK/data"
BUILD=1
if [ "$KIND" = sqlite ] && [ -n "${KEEP:-}" ]; then
  DATA="$KEEP"
  [ -f "$DATA/mahir.db" ] && BUILD=
fi
export MAHIR_DATA_DIR="$DATA" MAHIR_LISTEN="127.0.0.1:$PORT" MAHIR_DEMO_PASSWORD="$PASS" MAHIR_LOG=warn
if [ "$KIND" = postgres ]; then
  if [ -n "${KEEP:-}" ] && psql "$PG/mahir_bench" -qtA -c 'SELECT 1 FROM users LIMIT 1' 2>/dev/null | grep -q 1; then
    BUILD=
  else
    psql "$PG/postgres" -q -c 'DROP DATABASE IF EXISTS mahir_bench' -c 'CREATE DATABASE mahir_bench'
  fi
  export MAHIR_DATABASE_URL="$PG/mahir_bench"
fi
echo "== $KIND, $EMPLOYEES employees =="
if [ -n "$BUILD" ]; then
  start=$(date +%s.%N)
  "$BIN" demo --scale "$EMPLOYEES" | tee "$WORK/build.txt"
  end=$(date +%s.%N)
  printf 'build: %.1f s (the command, migrations included)\n' "$(echo "$end - $start" | bc)"
else
  echo "build: kept from an earlier run"
fi
if [ "$KIND" = sqlite ]; then du -sh "$DATA/mahir.db" | awk '{print "database file: " $1}'; fi

"$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

BASE="$BASE" PASS="$PASS" PID="$PID" python3 - <<'PY'
import http.client, json, os, re, statistics, threading, time, urllib.parse

base = os.environ["BASE"]; host, port = base[7:].split(":"); pid = os.environ["PID"]

def conn():
    return http.client.HTTPConnection(host, int(port), timeout=120)

def call(method, path, body=None, token=None, cookie=None, headers=None):
    c = conn(); h = dict(headers or {})
    if token: h["Authorization"] = "Bearer " + token
    if cookie: h["Cookie"] = cookie
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body); h["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, r.getheaders(), data

status, _, data = call("POST", "/api/v1/auth/token", {"username": "admin", "password": os.environ["PASS"]})
token = json.loads(data)["token"]

def jobs(query):
    _, _, data = call("GET", "/api/v1/jobs?" + query, token=token)
    return json.loads(data)

# The first snapshot. A fresh organisation also has all of the year's overdue reminders
# due at once (tens of thousands of mails): the measurements below run while the two
# workers send them, and say how many were still queued.
t0 = time.time()
while not jobs("status=done&kind=report_snapshot")["items"]:
    if time.time() - t0 > 600:
        raise SystemExit("no snapshot within 10 minutes")
    time.sleep(1)
print("first snapshot after %.0f s: %s" % (time.time() - t0, json.dumps(jobs("status=done&kind=report_snapshot")["items"][0]["result"])))
print("mail queued at the start of the measurements: %d" % jobs("status=queued&kind=mail&per_page=1")["total"])

def unit_id(code):
    for page in range(1, 20):
        _, _, data = call("GET", "/api/v1/units?per_page=200&page=%d" % page, token=token)
        items = json.loads(data)["items"]
        for u in items:
            if u["code"] == code:
                return u["id"]
        if not items:
            break
    raise SystemExit("no unit " + code)

def rss():
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0

org = "00000000-0000-0000-0000-000000000000"
division = unit_id("SKPD-00-B0")
agency = unit_id("SKPD-00")

def browser_cookie():
    _, headers, page = call("GET", "/login")
    jar = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    csrf = re.search(rb'name="_csrf" value="([^"]*)"', page).group(1).decode()
    form = urllib.parse.urlencode({"_csrf": csrf, "username": "admin", "password": os.environ["PASS"]})
    _, headers, _ = call("POST", "/login", form, cookie=jar,
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base})
    return "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")

cookie = browser_cookie()

def measure(name, path, n=100, **kw):
    c = conn(); times = []
    h = {}
    if "token" in kw: h["Authorization"] = "Bearer " + kw["token"]
    if "cookie" in kw: h["Cookie"] = kw["cookie"]
    for i in range(n + 5):
        t = time.perf_counter()
        c.request("GET", path, headers=h)
        r = c.getresponse(); body = r.read()
        if r.status != 200:
            raise SystemExit("%s: %d %s" % (path, r.status, body[:200]))
        if i >= 5: times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print("%-44s p50 %7.1f ms   p95 %7.1f ms   (%d requests, %d bytes)" % (
        name, statistics.median(times), times[int(len(times) * 0.95) - 1], n, len(body)))

measure("organisation dashboard (API)", "/api/v1/reports/units/%s/summary" % org, token=token)
measure("organisation dashboard (page)", "/reports/units/%s" % org, cookie=cookie)
measure("division dashboard (API)", "/api/v1/reports/units/%s/summary" % division, token=token)
measure("division dashboard (page)", "/reports/units/%s" % division, cookie=cookie)
measure("agency employee list (API, by JP)", "/api/v1/reports/units/%s/employees?sort=jp" % agency, token=token)
measure("agency employee list (page)", "/reports/units/%s/employees" % agency, cookie=cookie)
measure("organisation employee list (API, first page)", "/api/v1/reports/units/%s/employees" % org, n=20, token=token)
measure("organisation employee list, last page", "/api/v1/reports/units/%s/employees?sort=-jp&page=1400" % org, n=20, token=token)

for fmt in ("csv", "xlsx"):
    before = rss(); peak = [before]; stop = [False]
    def sample():
        while not stop[0]:
            peak[0] = max(peak[0], rss()); time.sleep(0.02)
    th = threading.Thread(target=sample); th.start()
    t = time.time()
    _, _, data = call("POST", "/api/v1/exports", {"kind": "jp_compliance", "unit_id": org, "format": fmt}, token=token)
    job = json.loads(data)["job_id"]
    while True:
        _, _, data = call("GET", "/api/v1/jobs/" + job, token=token)
        j = json.loads(data)
        if j["status"] in ("done", "failed"): break
        time.sleep(0.05)
    took = time.time() - t
    stop[0] = True; th.join()
    if j["status"] != "done": raise SystemExit("export failed: %s" % j)
    print("JP-compliance export, %-4s: %6.2f s, %d rows, %d bytes; RSS %d MB before, peak %d MB (+%d MB)" % (
        fmt, took, j["result"]["rows"], j["result"]["size"], before, peak[0], peak[0] - before))
print("mail still queued at the end: %d" % jobs("status=queued&kind=mail&per_page=1")["total"])
snaps = jobs("status=done&kind=report_snapshot&per_page=5")["items"]
for j in snaps:
    print("snapshot job: %s" % json.dumps(j["result"]))
print("server RSS at the end: %d MB" % rss())
PY
