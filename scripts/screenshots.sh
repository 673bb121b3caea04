#!/usr/bin/env bash
# Save the README screenshots from the demo database (built by `make run`):
# starts its own server on port $SHOT_PORT (default 8071), shoots, stops it. Usage: DB [FILE ...]
# (only the named screenshots).
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${1:-cncl_demo}"
SHOT_PORT="${SHOT_PORT:-8071}"
db_exists "$DB" || { echo "database $DB missing: run 'make run' once first" >&2; exit 1; }
"$PY" "$REPO/scripts/odoo-bin" -c "$STATE/odoo.conf" -d "$DB" --db-filter="^$DB\$" \
    --http-port=$SHOT_PORT --log-level=warn --max-cron-threads=0 >"$STATE/screenshots.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$SHOT_PORT/web/login" && break; sleep 1; done
"$PY" "$REPO/scripts/screenshots.py" "http://127.0.0.1:$SHOT_PORT" "$REPO/crm_cn_lifecycle/static/description" "${@:2}"
