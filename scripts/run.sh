#!/usr/bin/env bash
# Serve Odoo with crm_cn_lifecycle on a demo database (created on first run).
# usage: run.sh [DB] [PORT] [MODE]; MODE "prod" serves it as in production:
# Odoo's multi-process server with deploy/odoo.conf.example (workers, cron
# worker, limits, long-polling on PORT+3), instead of the threaded server.
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${1:-cncl_demo}"
PORT="${2:-8069}"
MODE="${3:-}"
case "$MODE" in ""|dev|prod) ;; *) echo "MODE is dev (the default) or prod, not '$MODE'" >&2; exit 1 ;; esac
LOG="$STATE/$DB.install.log"
addon_hash() { find "$REPO/crm_cn_lifecycle" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12; }
HASH="$(addon_hash)"

if ! db_exists "$DB"; then
    say "creating database $DB with crm_cn_lifecycle and its demo data (2-3 minutes, log: $LOG)"
    odoo -c "$STATE/odoo.conf" -d "$DB" -i crm_cn_lifecycle --load-language=zh_CN \
        --stop-after-init --log-level=warn >"$LOG" 2>&1 \
        || { tail -40 "$LOG"; echo "install failed, see $LOG" >&2; drop_db "$DB"; exit 1; }
    cancel_unmet_installs "$DB"
    echo "$HASH" > "$STATE/$DB.addon-hash"
elif [ "$(cat "$STATE/$DB.addon-hash" 2>/dev/null)" != "$HASH" ]; then
    say "the addon changed since $DB was built: updating it (log: $LOG)"
    odoo -c "$STATE/odoo.conf" -d "$DB" -u crm_cn_lifecycle --stop-after-init --log-level=warn >"$LOG" 2>&1 \
        || { tail -40 "$LOG"; echo "update failed, see $LOG" >&2; exit 1; }
    echo "$HASH" > "$STATE/$DB.addon-hash"
fi

cat <<MSG

  Odoo 11 + crm_cn_lifecycle on database $DB:  http://127.0.0.1:$PORT/web/login

  Demo logins (login / password):
    administrator                admin       / admin
    salesperson  (销售员 王芳)    cn_sales    / cn_sales
    sales manager (销售经理 陈强) cn_manager  / cn_manager
    accountant   (会计 李娜)      accountant  / accountant
    dealer, Guangzhou (portal)   dealer_gz   / dealer_gz     -> http://127.0.0.1:$PORT/my
    dealer, Dallas (portal)      dealer_us   / dealer_us     -> http://127.0.0.1:$PORT/my

  Ctrl-C stops the server. 'make run DB=other' serves another database.

MSG
if [ "$MODE" = "prod" ]; then
    LONGPOLLING_PORT="${LONGPOLLING_PORT:-$((PORT + 3))}"
    prod_conf "$STATE/$DB.prod.conf" "$DB" "$PORT" "$LONGPOLLING_PORT"
    say "production mode: $(grep -E '^(workers|max_cron_threads) =' "$STATE/$DB.prod.conf" | tr '\n' ' ')long-polling on $LONGPOLLING_PORT (config: $STATE/$DB.prod.conf)"
    exec "$PY" "$REPO/scripts/odoo-bin" -c "$STATE/$DB.prod.conf" -d "$DB"
fi
exec "$PY" "$REPO/scripts/odoo-bin" -c "$STATE/odoo.conf" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" --log-level=warn
