# Shared by the benchmark scripts: start Mahir on a fresh data directory and log people in
# through the login form. Source it after setting BIN, PORT and PASS.
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
trap 'kill "$PID" "${PROBE:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if curl -sf "$BASE/healthz" >/dev/null 2>&1; then
  echo "something already listens on port $PORT" >&2
  exit 1
fi
MAHIR_DATA_DIR="$WORK/data" MAHIR_LISTEN="127.0.0.1:$PORT" MAHIR_DEMO_PASSWORD="$PASS" \
  MAHIR_LOG=warn "$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

# Logs USER in through the login form into the cookie jar FILE.
browser_login() {
  local csrf
  csrf=$(curl -sf -c "$2" -b "$2" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -sf -o /dev/null -c "$2" -b "$2" -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "username=$1" --data-urlencode "password=$PASS" "$BASE/login"
}
