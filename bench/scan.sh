#!/usr/bin/env bash
# `make scan`: wapiti against the demo on 127.0.0.1, signed in as a resident, bounded in time; the development
# server is stopped afterwards whatever happens. Usage: bench/scan.sh WAPITI PORT MINUTES
set -euo pipefail
cd "$(dirname "$0")/.."
wapiti=$1 port=$2 minutes=$3
work=$(mktemp -d /tmp/wegwijs-scan-XXXXXX)
report=instance/scan/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$report"
export WEGWIJS_ENV=development DATABASE_URL="sqlite:///$work/scan.db" UPLOAD_FOLDER="$work/uploads" \
  SECRET_KEY="scan-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" FORCE_HTTPS=0 LOG_LEVEL=WARNING \
  RATELIMIT_LOGIN_IP="10000 per minute" RATELIMIT_LOGIN_USER="10000 per minute"
.venv/bin/flask --app wsgi db upgrade >/dev/null
.venv/bin/flask --app wsgi demo >/dev/null
.venv/bin/flask --app wsgi run --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# Signed in as amina (resident): wapiti-getcookie posts the sign-in form with its CSRF token.
"$(dirname "$wapiti")/wapiti-getcookie" -u "http://127.0.0.1:$port/login" -c "$work/cookies.json" \
  -d "username=amina&password=demo" >/dev/null 2>&1 || echo "sign-in for the scan failed: scanning anonymously"
cookie_args=()
[ -s "$work/cookies.json" ] && cookie_args=(-c "$work/cookies.json")

# --max-scan-time bounds the whole run; /logout is left out so the scan stays signed in.
timeout $(( minutes * 60 + 120 )) "$wapiti" -u "http://127.0.0.1:$port/" --scope folder "${cookie_args[@]}" \
  -x "http://127.0.0.1:$port/logout" --max-scan-time $(( minutes * 60 )) --max-attack-time 60 \
  --flush-session -f txt -o "$report/report.txt" --color 2>&1 | tail -n 40 || true
echo "wapiti report: $report/report.txt"
grep -E "^(Vulnerabilities|Anomalies|---|[A-Z].*:)" "$report/report.txt" | head -n 80 || true
