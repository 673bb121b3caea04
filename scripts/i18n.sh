#!/usr/bin/env bash
# Refresh crm_cn_lifecycle/i18n/: the .pot template and zh_CN.po with the
# translations it already has (new terms come out with an empty msgstr).
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB=cncl_i18n
I18N="$REPO/crm_cn_lifecycle/i18n"
if db_exists "$DB"; then ACTION="-u"; else ACTION="-i"; fi
odoo -c "$STATE/test.conf" -d "$DB" $ACTION crm_cn_lifecycle --without-demo=all \
    --load-language=zh_CN --i18n-overwrite --stop-after-init --log-level=warn
odoo -c "$STATE/test.conf" -d "$DB" --modules=crm_cn_lifecycle --stop-after-init --log-level=warn \
    --i18n-export="$I18N/crm_cn_lifecycle.pot"
odoo -c "$STATE/test.conf" -d "$DB" --modules=crm_cn_lifecycle --stop-after-init --log-level=warn \
    --language=zh_CN --i18n-export="$I18N/zh_CN.po"
grep -c '^msgstr ""$' "$I18N/zh_CN.po" | xargs echo "zh_CN.po entries without a translation (incl. header):"
