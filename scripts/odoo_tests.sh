#!/usr/bin/env bash
# Odoo's own tests of the modules crm_cn_lifecycle extends (what an integrator
# runs before going live), on a database with the addon and its demo data and
# on one with the same modules and demo but without the addon, side by side.
# Fails when the addon's run has a failure the other run does not also have.
# ODOO_TESTS_MODULES, ODOO_TESTS_PORT, ODOO_TESTS_BASELINE_PORT override the
# defaults below.
set -euo pipefail
source "$(dirname "$0")/env.sh"
MODULES="${ODOO_TESTS_MODULES:-crm,sale,sale_crm,sale_stock,sale_margin,portal,helpdesk_mgmt}"
ADDON_PORT="${ODOO_TESTS_PORT:-8090}"
BASE_PORT="${ODOO_TESTS_BASELINE_PORT:-8092}"
# The baseline installs what the addon depends on (its manifest), with demo data.
BASE_INSTALL="$("$PY" -c "import ast, sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" \
    "$REPO/crm_cn_lifecycle/__manifest__.py")"
RUN="$$"
ADDON_DB="cncl_odootests_$RUN"
BASE_DB="cncl_odootests_base_$RUN"
LOGS="$STATE/odoo-tests-logs"
mkdir -p "$LOGS"

cleanup() {
    for db in "$ADDON_DB" "$BASE_DB"; do
        drop_db "$db" 2>/dev/null || true
        rm -rf "$STATE/data/filestore/$db"
    done
    rm -f "$LOGS/addon.conf" "$LOGS/baseline.conf"
}
trap cleanup EXIT

for port in "$ADDON_PORT" "$BASE_PORT"; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "port $port is taken: Odoo's HTTP tests need it (stop the other server, or set ODOO_TESTS_PORT/ODOO_TESTS_BASELINE_PORT)" >&2
        exit 1
    fi
done

conf() {  # out http-port
    sed -e "s#^http_port = .*#http_port = $2#" -e "/^longpolling_port = /d" "$STATE/test.conf" > "$1"
    echo "longpolling_port = $(($2 + 1))" >> "$1"
}
conf "$LOGS/addon.conf" "$ADDON_PORT"
conf "$LOGS/baseline.conf" "$BASE_PORT"

install() {  # conf db modules log
    odoo -c "$1" -d "$2" -i "$3" --stop-after-init --log-level=warn >"$4" 2>&1
}
say "installing crm_cn_lifecycle with demo data on $ADDON_DB and, without it, $BASE_INSTALL on $BASE_DB, in parallel"
SECONDS=0
install "$LOGS/addon.conf" "$ADDON_DB" crm_cn_lifecycle "$LOGS/install-addon.log" & PID_ADDON=$!
install "$LOGS/baseline.conf" "$BASE_DB" "$BASE_INSTALL" "$LOGS/install-baseline.log" & PID_BASE=$!
failed=0
wait "$PID_ADDON" || { tail -40 "$LOGS/install-addon.log"; echo "installing the addon failed" >&2; failed=1; }
wait "$PID_BASE" || { tail -40 "$LOGS/install-baseline.log"; echo "installing the baseline failed" >&2; failed=1; }
[ "$failed" = 0 ] || exit 1
cancel_unmet_installs "$ADDON_DB"
cancel_unmet_installs "$BASE_DB"
INSTALLED=$SECONDS
echo "installed in ${INSTALLED}s"

say "Odoo's own tests of $MODULES on both databases, in parallel"
run_tests() {  # conf db log
    "$PY" "$REPO/scripts/odoo_tests_run.py" "$1" "$2" ${MODULES//,/ } >"$3" 2>&1
}
SECONDS=0
run_tests "$LOGS/addon.conf" "$ADDON_DB" "$LOGS/tests-addon.log" & PID_ADDON=$!
run_tests "$LOGS/baseline.conf" "$BASE_DB" "$LOGS/tests-baseline.log" & PID_BASE=$!
# exit 1 is "a test failed": the comparison below judges those
rc_addon=0; wait "$PID_ADDON" || rc_addon=$?
rc_base=0; wait "$PID_BASE" || rc_base=$?
echo "tested in ${SECONDS}s (installs ${INSTALLED}s)"
for pair in "$rc_addon:$LOGS/tests-addon.log" "$rc_base:$LOGS/tests-baseline.log"; do
    if [ "${pair%%:*}" -gt 1 ]; then
        tail -40 "${pair#*:}"
        echo "the test run broke (log: ${pair#*:})" >&2
        exit 1
    fi
done
# A failure only the addon's run has is run once more (Odoo's lead-time tests
# compare timestamps one second apart and fail on a loaded machine).
NEW="$("$PY" "$REPO/scripts/odoo_tests_compare.py" --new "$LOGS/tests-addon.log" "$LOGS/tests-baseline.log")"
rm -f "$LOGS/tests-addon-again.log"
if [ -n "$NEW" ]; then
    say "running again on $ADDON_DB the tests that failed only there"
    "$PY" "$REPO/scripts/odoo_tests_run.py" "$LOGS/addon.conf" "$ADDON_DB" --again $NEW \
        >"$LOGS/tests-addon-again.log" 2>&1 || true
fi
echo "odoo-tests took $((INSTALLED + SECONDS))s in all"
"$PY" "$REPO/scripts/odoo_tests_compare.py" "$LOGS/tests-addon.log" "$LOGS/tests-baseline.log" \
    ${NEW:+"$LOGS/tests-addon-again.log"}
