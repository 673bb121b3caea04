"""The Chinese translation is complete and loads."""
import os
import re

I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "crm_cn_lifecycle", "i18n")


def po_entries(path):
    """msgid -> msgstr of a .po file (multi-line strings joined)."""
    entries, key, current = {}, None, None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if match:
                key = match.group(1)
                if key == "msgid":
                    current = [match.group(2), ""]
                else:
                    current[1] = match.group(2)
            elif line.startswith('"') and current is not None:
                current[0 if key == "msgid" else 1] += line[1:-1]
            elif not line.strip() and current is not None:
                entries[current[0]] = current[1]
                current = None
    if current is not None:
        entries[current[0]] = current[1]
    return entries


def test_every_term_of_the_template_has_a_chinese_translation():
    template = po_entries(os.path.join(I18N, "crm_cn_lifecycle.pot"))
    chinese = po_entries(os.path.join(I18N, "zh_CN.po"))
    missing = sorted(msgid for msgid in template if msgid and not chinese.get(msgid))
    assert missing == [], "untranslated (run scripts/i18n.sh, then translate): %s" % missing[:20]


def test_placeholders_survive_translation():
    chinese = po_entries(os.path.join(I18N, "zh_CN.po"))
    placeholder = re.compile(r"%(?:\([a-z_]+\))?[-.0-9]*[sdf]")
    wrong = [msgid for msgid, msgstr in chinese.items()
             if msgid and sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(msgstr))]
    assert wrong == []
