#!/usr/bin/env bash
# Refresh crm_cn_lifecycle/i18n/: export the .pot template from a database
# with the addon installed, then merge it into zh_CN.po with gettext's
# msgmerge (existing translations kept, new terms added untranslated).
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB=cncl_i18n
I18N="$REPO/crm_cn_lifecycle/i18n"
command -v msgmerge >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
if db_exists "$DB"; then ACTION="-u"; else ACTION="-i"; fi
odoo -c "$STATE/test.conf" -d "$DB" $ACTION crm_cn_lifecycle --without-demo=all \
    --stop-after-init --log-level=warn
# Odoo 11 names a template export .po: export, then rename.
odoo -c "$STATE/test.conf" -d "$DB" --modules=crm_cn_lifecycle --stop-after-init --log-level=warn \
    --i18n-export="$STATE/crm_cn_lifecycle.po"
mv "$STATE/crm_cn_lifecycle.po" "$I18N/crm_cn_lifecycle.pot"
if [ -f "$I18N/zh_CN.po" ]; then
    msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$I18N/zh_CN.po" "$I18N/crm_cn_lifecycle.pot"
    msgattrib --no-obsolete --no-wrap -o "$I18N/zh_CN.po" "$I18N/zh_CN.po"
else
    sed 's/^"Language-Team: \\n"$/"Language-Team: \\n"\n"Language: zh_CN\\n"/' "$I18N/crm_cn_lifecycle.pot" > "$I18N/zh_CN.po"
fi
echo "zh_CN.po: $(msgattrib --untranslated "$I18N/zh_CN.po" | grep -c '^msgid' || true) terms without a translation (incl. header)"
msgfmt --check-format -o /dev/null "$I18N/zh_CN.po"
