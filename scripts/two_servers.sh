#!/usr/bin/env bash
# Two Odoo servers on one database, as two machines in front of one PostgreSQL
# (deploy/odoo.conf.example, two HTTP workers each, no cron worker: the check
# runs two cron runners itself, at the same instant): the same scheduled action
# and the same portal submission at once must each happen once
# (scripts/two_servers.py). Fails on any ERROR or CRITICAL line in their logs.
# usage: two_servers.sh DB   (HTTP ports $TEST_PORT+1 and +2, their long-polling ports +4
# and +5; or TWO_SERVERS_PORTS="http1 http2 longpolling1 longpolling2")
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="$1"
read -r -a ALL_PORTS <<<"${TWO_SERVERS_PORTS:-$((TEST_PORT + 1)) $((TEST_PORT + 2)) $((TEST_PORT + 4)) $((TEST_PORT + 5))}"
PORTS=("${ALL_PORTS[0]}" "${ALL_PORTS[1]}")
LONGPOLLING_PORTS=("${ALL_PORTS[2]}" "${ALL_PORTS[3]}")
LOGS="$STATE/test-logs"
mkdir -p "$LOGS"
for port in "${ALL_PORTS[@]}"; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "port $port is taken: the two-server check needs it" >&2
        exit 1
    fi
done
SECONDS=0
PIDS=()
stop_servers() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_servers EXIT
for index in 0 1; do
    conf="$STATE/two-servers-$index-$DB.conf"
    prod_conf "$conf" "$DB" "${PORTS[$index]}" "${LONGPOLLING_PORTS[$index]}" 2
    sed -i -e "s#^max_cron_threads = .*#max_cron_threads = 0#" "$conf"
    "$PY" "$REPO/scripts/odoo-bin" -c "$conf" -d "$DB" --log-level=info >"$LOGS/two-servers-$index.log" 2>&1 &
    PIDS+=("$!")
done
for port in "${PORTS[@]}"; do
    for _ in $(seq 120); do
        curl -s -o /dev/null "http://127.0.0.1:$port/web/login" && break
        sleep 1
    done
done
status=0
"$PY" "$REPO/scripts/two_servers.py" "http://127.0.0.1:${PORTS[0]}" "http://127.0.0.1:${PORTS[1]}" "$DB" \
    "$STATE/two-servers-0-$DB.conf" || status=$?
stop_servers
trap - EXIT
for index in 0 1; do
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOGS/two-servers-$index.log"; then
        echo "server $index logged errors (above; log: $LOGS/two-servers-$index.log)" >&2
        status=1
    fi
done
echo "two-server check: $([ "$status" = 0 ] && echo passed || echo FAILED) in ${SECONDS}s"
exit "$status"
