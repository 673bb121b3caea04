"""China's seven sales regions (大区) and the provinces in each.

Provinces are matched by the short code Odoo's l10n_cn gives them (京, 沪 ...)
so the mapping works on the company's existing res.country.state records.
"""

REGIONS = [
    ("north", "North China / 华北"),
    ("northeast", "Northeast / 东北"),
    ("east", "East China / 华东"),
    ("central", "Central China / 华中"),
    ("south", "South China / 华南"),
    ("southwest", "Southwest / 西南"),
    ("northwest", "Northwest / 西北"),
]

_PROVINCES_BY_REGION = {
    "north": "京津冀晋蒙",
    "northeast": "辽吉黑",
    "east": "沪苏浙皖闽赣鲁台",
    "central": "豫鄂湘",
    "south": "粤桂琼港澳",
    "southwest": "渝蜀川黔贵滇云藏",
    "northwest": "陕甘青宁新",
}

REGION_BY_PROVINCE_CODE = {
    code: region
    for region, codes in _PROVINCES_BY_REGION.items()
    for code in codes
}


def region_of(country_code, province_code):
    """Return the region key of a Chinese province, or False elsewhere."""
    if country_code != "CN" or not province_code:
        return False
    return REGION_BY_PROVINCE_CODE.get(province_code.strip(), False)
