#!/usr/bin/env bash
# Installs whatever is missing: Python 3.7 venv with pinned Odoo 11, lessc,
# PostgreSQL running with an `odoo` role, and (with --test) Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1
mkdir -p "$STATE/data"

apt_install() {
    if [ ! -f "$STATE/.apt-updated" ]; then
        apt-get update -qq >/dev/null && touch "$STATE/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Python venv ------------------------------------------------------------
REQ_HASH="$(cat "$REPO/requirements.txt" "$REPO/requirements-oca.txt" "$REPO/setup.py" | sha1sum | cut -c1-12)"
if [ ! -f "$VENV/.installed-$REQ_HASH" ]; then
    PY37="$(find_python37)" || { echo "Python 3.7 not found (pyenv install 3.7.16)" >&2; exit 1; }
    say "creating $VENV with $PY37 and the pinned Odoo 11 requirements (about a minute)"
    [ -x "$PY" ] || "$PY37" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "setuptools<58" wheel 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation -r "$REPO/requirements.txt" 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REPO/requirements-oca.txt" 2>&1 | grep -v "^WARNING: Location" || true
    "$PY" -c "import odoo, pytest_odoo, selenium" || { echo "pip install failed" >&2; exit 1; }
    rm -f "$VENV"/.installed-*
    touch "$VENV/.installed-$REQ_HASH"
fi

# --- lessc: Odoo 11 compiles the backend's LESS with it ----------------------
if ! command -v lessc >/dev/null; then
    say "installing lessc"
    command -v npm >/dev/null || apt_install npm
    npm install -g --silent less@3.13.1 >/dev/null
fi

# --- Chromium for the browser tests ----------------------------------------
if [ "$WITH_TEST" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! fc-list | grep -qi "WenQuanYi"; }; then
    say "installing chromium and chromium-driver"
    apt_install chromium chromium-driver fonts-wqy-microhei
fi

# --- PostgreSQL and the odoo role -----------------------------------------
if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
    say "starting PostgreSQL"
    for version in $(ls /etc/postgresql 2>/dev/null | sort -rn); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        break
    done
    for _ in $(seq 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
    pg_isready -h "$PGHOST" -p "$PGPORT" -q || { echo "PostgreSQL is not answering on $PGHOST:$PGPORT" >&2; exit 1; }
fi
as_postgres() {
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qtAX "$@" 2>/dev/null \
        || runuser -u postgres -- psql -d postgres -qtAX "$@"
}
if [ "$(as_postgres -c "select 1 from pg_roles where rolname='$ODOO_DB_USER'")" != "1" ]; then
    say "creating PostgreSQL role $ODOO_DB_USER"
    as_postgres -c "create role $ODOO_DB_USER login createdb"
fi

# --- Modules the wheels ship in part: recorded as not installable -------------
# (see scripts/unshipped_addons.py: otherwise every new database logs
# "Unmet dependencies" errors and keeps them 'to install').
ODOO_ADDONS="$("$PY" -c "import importlib.util as u; print(u.find_spec('odoo').submodule_search_locations[0])")/addons"
"$PY" "$REPO/scripts/unshipped_addons.py" "$UNSHIPPED_ADDONS" "$ODOO_ADDONS" "$REPO" >/dev/null

# --- Odoo configuration files ------------------------------------------------
write_conf() {
    cat > "$1" <<CONF
[options]
db_host = $PGHOST
db_port = $PGPORT
db_user = $ODOO_DB_USER
db_password = False
addons_path = $REPO,$UNSHIPPED_ADDONS
data_dir = $STATE/data
http_interface = 127.0.0.1
http_port = $2
list_db = False
max_cron_threads = $3
CONF
}
write_conf "$STATE/odoo.conf" 8069 1
write_conf "$STATE/test.conf" "$TEST_PORT" 0
