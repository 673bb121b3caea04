#!/usr/bin/env bash
# The production shape, followed and checked: serve DB (crm_cn_lifecycle with
# its demo data) with deploy/odoo.conf.example in Odoo's multi-process mode,
# check it through the doors users take (scripts/prod_check.py), stop it, and
# fail on any ERROR or CRITICAL line in its log.
# usage: prod_check.sh DB   (ports: $TEST_PORT and $TEST_PORT+3; PROD_WORKERS=2)
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="$1"
PORT="$TEST_PORT"
LONGPOLLING_PORT="${LONGPOLLING_PORT:-$((PORT + 3))}"
CONF="$STATE/prod-check-$DB.conf"
LOG="$STATE/test-logs/prod-check.log"
mkdir -p "$STATE/test-logs"
for port in "$PORT" "$LONGPOLLING_PORT"; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "port $port is taken: the production-mode check needs it" >&2
        exit 1
    fi
done
# Two HTTP workers (the example has 4: this machine runs the tests too) and the
# example's cron worker, limits, proxy mode and database filter.
prod_conf "$CONF" "$DB" "$PORT" "$LONGPOLLING_PORT" "${PROD_WORKERS:-2}"
SECONDS=0
# Info level: the check reads the workers' "alive" lines; requests are logged too.
"$PY" "$REPO/scripts/odoo-bin" -c "$CONF" -d "$DB" --log-level=info >"$LOG" 2>&1 &
SERVER=$!
stop_server() {
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$SERVER" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
}
trap stop_server EXIT
status=0
"$PY" "$REPO/scripts/prod_check.py" "http://127.0.0.1:$PORT" "$DB" "$LONGPOLLING_PORT" "$LOG" \
    "$STATE/data/sessions" || status=$?
# Each scheduled action of the addon, run by the cron worker within limit_time_real_cron.
"$PY" "$REPO/scripts/prod_crons.py" "http://127.0.0.1:$PORT" "$DB" "$LOG" "$CONF" || status=$?
stop_server
trap - EXIT
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG"; then
    echo "the production-mode server logged errors (above; log: $LOG)" >&2
    status=1
fi
echo "production-mode check: $([ "$status" = 0 ] && echo passed || echo FAILED) in ${SECONDS}s"
exit "$status"
