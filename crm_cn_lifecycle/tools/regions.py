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


PROVINCE_ENGLISH_NAMES = {
    "京": "Beijing", "津": "Tianjin", "冀": "Hebei", "晋": "Shanxi", "蒙": "Inner Mongolia",
    "辽": "Liaoning", "吉": "Jilin", "黑": "Heilongjiang", "沪": "Shanghai", "苏": "Jiangsu",
    "浙": "Zhejiang", "皖": "Anhui", "闽": "Fujian", "赣": "Jiangxi", "鲁": "Shandong",
    "台": "Taiwan", "豫": "Henan", "鄂": "Hubei", "湘": "Hunan", "粤": "Guangdong",
    "桂": "Guangxi", "琼": "Hainan", "港": "Hong Kong", "澳": "Macau", "渝": "Chongqing",
    "蜀": "Sichuan", "川": "Sichuan", "黔": "Guizhou", "贵": "Guizhou", "滇": "Yunnan",
    "云": "Yunnan", "藏": "Tibet", "陕": "Shaanxi", "甘": "Gansu", "青": "Qinghai",
    "宁": "Ningxia", "新": "Xinjiang",
}

# Longest first, so that 壮族自治区 goes before 自治区.
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区",
                      "省", "市", " province", " municipality", " sar")


def province_key(name):
    """Comparable form of a province name: 广东省, 广东 and Guangdong agree."""
    key = (name or "").strip().lower()
    for suffix in _PROVINCE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key.strip()


def province_lookup(states):
    """Map every accepted spelling of a province to its id.

    `states` are (id, name, code) of Chinese res.country.state records."""
    lookup = {}
    for state_id, name, code in states:
        code = (code or "").strip()
        for spelling in (name, code, PROVINCE_ENGLISH_NAMES.get(code)):
            if spelling:
                lookup[province_key(spelling)] = state_id
    return lookup
