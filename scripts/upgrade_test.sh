#!/usr/bin/env bash
# The upgrade a company runs: install crm_cn_lifecycle at the previous released
# version (scripts/upgrade_from) with its demo data on a throwaway database,
# add the data its migrations must carry, upgrade it to the working tree with
# -u, then check every record is still there, credit limits are per company,
# every view of the addon loads, and neither step logged an ERROR.
# usage: upgrade_test.sh   (needs the git history holding that commit)
set -euo pipefail
source "$(dirname "$0")/env.sh"
read -r FROM FROM_VERSION < <(grep -v '^#' "$REPO/scripts/upgrade_from")
DB="${UPGRADE_DB:-cncl_upgrade_$$}"
WORK="$(mktemp -d)"
LOGS="$STATE/test-logs"
mkdir -p "$LOGS" "$WORK/old"
cleanup() {
    drop_db "$DB" 2>/dev/null || true
    rm -rf "$STATE/data/filestore/$DB" "$WORK"
}
trap cleanup EXIT
git -C "$REPO" cat-file -e "$FROM^{commit}" 2>/dev/null \
    || { echo "commit $FROM ($FROM_VERSION) is not in this clone's history (a shallow clone?)" >&2; exit 1; }
git -C "$REPO" archive "$FROM" crm_cn_lifecycle | tar -x -C "$WORK/old"
OLD_CONF="$WORK/old.conf"
sed -e "s#^addons_path = .*#addons_path = $WORK/old,$UNSHIPPED_ADDONS#" "$STATE/test.conf" > "$OLD_CONF"
SECONDS=0
say "installing crm_cn_lifecycle $FROM_VERSION (${FROM:0:9}) with its demo data on $DB"
odoo -c "$OLD_CONF" -d "$DB" -i crm_cn_lifecycle --stop-after-init --log-level=warn >"$LOGS/upgrade-install.log" 2>&1 \
    || { tail -40 "$LOGS/upgrade-install.log"; echo "installing $FROM_VERSION failed" >&2; exit 1; }
"$PY" "$REPO/scripts/upgrade_check.py" "$OLD_CONF" "$DB" before "$WORK/before.json"
say "upgrading $DB to the working tree with -u"
odoo -c "$STATE/test.conf" -d "$DB" -u crm_cn_lifecycle --stop-after-init --log-level=warn >"$LOGS/upgrade.log" 2>&1 \
    || { tail -40 "$LOGS/upgrade.log"; echo "the upgrade failed" >&2; exit 1; }
status=0
"$PY" "$REPO/scripts/upgrade_check.py" "$STATE/test.conf" "$DB" after "$WORK/before.json" || status=1
for log in "$LOGS/upgrade-install.log" "$LOGS/upgrade.log"; do
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log"; then
        echo "errors logged (above; log: $log)" >&2
        status=1
    fi
done
echo "upgrade test from $FROM_VERSION: $([ "$status" = 0 ] && echo passed || echo FAILED) in ${SECONDS}s"
exit "$status"
