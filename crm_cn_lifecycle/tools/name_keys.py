"""Keys that tell whether two records name the same end customer.

A deal registration is matched against opportunities, customers and other
registrations by equality on these keys (indexed columns), never by a LIKE
scan: the company name without its legal form and without the city or
province it is registered in (as a prefix or in brackets, in either
position), the phone number's digits, and the e-mail domain unless it is a
public mailbox.

Chinese and English names of one company cannot be made equal by string
operations: 华信办公用品 and "Huaxin Office Supplies" give two keys. A record
that knows both names (a registration's English name) is matched on both.
"""
import re
import unicodedata

# Legal forms, longest first so that 股份有限公司 goes before 有限公司.
CN_LEGAL_SUFFIXES = (
    "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
    "集团公司", "分公司", "总公司", "公司", "集团", "商行", "经营部",
)
EN_LEGAL_WORDS = frozenset((
    "co", "company", "ltd", "limited", "inc", "incorporated", "llc", "corp", "corporation",
    "gmbh", "plc", "llp", "lp", "ag", "sa", "bv", "pte", "pty", "group", "holdings", "the",
))

PROVINCES = {
    "北京": "beijing", "天津": "tianjin", "河北": "hebei", "山西": "shanxi", "内蒙古": "inner mongolia",
    "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "上海": "shanghai",
    "江苏": "jiangsu", "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi",
    "山东": "shandong", "台湾": "taiwan", "河南": "henan", "湖北": "hubei", "湖南": "hunan",
    "广东": "guangdong", "广西": "guangxi", "海南": "hainan", "香港": "hong kong", "澳门": "macau",
    "重庆": "chongqing", "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan", "西藏": "tibet",
    "陕西": "shaanxi", "甘肃": "gansu", "青海": "qinghai", "宁夏": "ningxia", "新疆": "xinjiang",
    "中国": "china",
}
CITIES = {
    "广州": "guangzhou", "深圳": "shenzhen", "东莞": "dongguan", "佛山": "foshan", "珠海": "zhuhai",
    "中山": "zhongshan", "惠州": "huizhou", "汕头": "shantou", "江门": "jiangmen", "湛江": "zhanjiang",
    "南京": "nanjing", "苏州": "suzhou", "无锡": "wuxi", "常州": "changzhou", "南通": "nantong",
    "徐州": "xuzhou", "扬州": "yangzhou", "杭州": "hangzhou", "宁波": "ningbo", "温州": "wenzhou",
    "绍兴": "shaoxing", "嘉兴": "jiaxing", "金华": "jinhua", "义乌": "yiwu", "台州": "taizhou",
    "合肥": "hefei", "芜湖": "wuhu", "福州": "fuzhou", "厦门": "xiamen", "泉州": "quanzhou",
    "南昌": "nanchang", "济南": "jinan", "青岛": "qingdao", "烟台": "yantai", "潍坊": "weifang",
    "郑州": "zhengzhou", "洛阳": "luoyang", "武汉": "wuhan", "宜昌": "yichang", "长沙": "changsha",
    "株洲": "zhuzhou", "南宁": "nanning", "柳州": "liuzhou", "桂林": "guilin", "海口": "haikou",
    "三亚": "sanya", "成都": "chengdu", "绵阳": "mianyang", "贵阳": "guiyang", "昆明": "kunming",
    "拉萨": "lhasa", "西安": "xian", "兰州": "lanzhou", "西宁": "xining", "银川": "yinchuan",
    "乌鲁木齐": "urumqi", "石家庄": "shijiazhuang", "唐山": "tangshan", "保定": "baoding",
    "太原": "taiyuan", "呼和浩特": "hohhot", "包头": "baotou", "沈阳": "shenyang", "大连": "dalian",
    "长春": "changchun", "哈尔滨": "harbin", "大庆": "daqing",
}
PLACE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")

_CN_PLACES = sorted(set(PROVINCES) | set(CITIES), key=len, reverse=True)
_EN_PLACES = sorted({tuple(name.split()) for name in list(PROVINCES.values()) + list(CITIES.values())},
                    key=len, reverse=True)
_PLACE_RE = "(%s)(?:%s)?" % ("|".join(map(re.escape, _CN_PLACES)), "|".join(map(re.escape, PLACE_SUFFIXES)))
_LEADING_PLACE = re.compile(_PLACE_RE)
_TRAILING_PLACE = re.compile(_PLACE_RE + "$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKETS = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MIN_CORE = 2

PUBLIC_MAIL_DOMAINS = frozenset((
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com",
    "vip.126.com", "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "139.com", "189.cn",
    "wo.cn", "aliyun.com", "tom.com", "21cn.com", "gmail.com", "googlemail.com", "hotmail.com",
    "outlook.com", "live.com", "msn.com", "yahoo.com", "yahoo.com.cn", "yahoo.com.hk",
    "icloud.com", "me.com", "protonmail.com", "mail.com", "netvigator.com",
))


def _normal(text):
    """NFKC (full-width brackets, letters and digits become half-width), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def _cn_place(text):
    """(place, rest) if `text` starts with a province or city (with 省/市 ...), else None."""
    found = _LEADING_PLACE.match(text)
    return (found.group(1), text[found.end():]) if found else None


def _is_cn_place(text):
    found = _cn_place(text)
    return bool(found) and not found[1]


def _strip_cn_suffixes(text):
    changed = True
    while changed:
        changed = False
        for suffix in CN_LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= _MIN_CORE:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def _cn_key(text):
    # a bracketed place goes, other bracketed words stay (without brackets)
    text = _BRACKETS.sub(lambda m: "" if _is_cn_place(_NOT_WORD.sub("", m.group(1))) else m.group(1), text)
    text = _NOT_WORD.sub("", text)
    text = _strip_cn_suffixes(text)
    # place prefixes (广东省广州市...) in front, then one place left at the end
    found = _cn_place(text)
    while found and len(found[1]) >= _MIN_CORE:
        text = _strip_cn_suffixes(found[1])
        found = _cn_place(text)
    found = _TRAILING_PLACE.search(text, _MIN_CORE)
    return text[: found.start()] if found else text


def _strip_en_places(words, at_start):
    for place in _EN_PLACES:
        size = len(place)
        part = tuple(words[:size]) if at_start else tuple(words[-size:])
        if part == place and len(words) > size:
            return words[size:] if at_start else words[:-size]
    return words


def _en_key(text):
    text = _BRACKETS.sub(lambda m: "" if tuple(_NOT_WORD.sub(" ", m.group(1)).split()) in _EN_PLACES
                         else " %s " % m.group(1), text)
    words = _NOT_WORD.sub(" ", text.replace("&", " and ")).split()
    while len(words) > 1 and words[-1] in EN_LEGAL_WORDS:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    words = _strip_en_places(words, at_start=True)
    words = _strip_en_places(words, at_start=False)
    while len(words) > 1 and words[-1] in EN_LEGAL_WORDS:
        words.pop()
    return "".join(words)


def name_key(name):
    """The company name's comparable core, or False: 广州华信办公用品有限公司 and
    华信办公用品（广州）有限公司 give 华信办公用品; "Huaxin Office Supplies
    (Guangzhou) Co., Ltd." gives huaxinofficesupplies."""
    text = _normal(name)
    if not text:
        return False
    key = _cn_key(text) if _CJK.search(text) else _en_key(text)
    return key or False


_SEPARATORS = re.compile(r"\s*[/|\uff0f\uff5c]\s*")


def name_keys(name):
    """(key, other-language key) of a name that may give both forms, as
    "武汉楚天办公用品有限公司 / Wuhan Chutian Office Supplies Co., Ltd."
    does: the first form's key, then the key of the first part in the other
    script (False when there is none)."""
    parts = [part for part in _SEPARATORS.split(_normal(name)) if part.strip()]
    if len(parts) < 2:
        return name_key(name), False
    cjk = [part for part in parts if _CJK.search(part)]
    latin = [part for part in parts if not _CJK.search(part)]
    if not cjk or not latin:
        return name_key(name), False
    first, other = (cjk[0], latin[0]) if _CJK.search(parts[0]) else (latin[0], cjk[0])
    return name_key(first), name_key(other)


def phone_key(phone):
    """The digits that identify a phone number, or False: a mobile's 11 digits,
    a landline's last 8 (with or without its area code); +86 / 0086 / the
    leading 0 go."""
    digits = re.sub(r"\D", "", _normal(phone))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 10:
            digits = digits[len(prefix):]
            break
    digits = digits.lstrip("0")
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    if len(digits) < 7:
        return False
    return digits[-8:]


def email_domain(email):
    """The e-mail's domain if it names a company, False for public mailboxes."""
    text = _normal(email)
    if "@" not in text:
        return False
    domain = text.rsplit("@", 1)[1].strip(" .>")
    if not domain or "." not in domain or domain in PUBLIC_MAIL_DOMAINS:
        return False
    return domain


def record_keys(names=(), phones=(), emails=()):
    """The distinct (kind, key) pairs of one record's names, phones and e-mails."""
    keys = []
    for kind, values, make in (("name", names, name_key), ("phone", phones, phone_key),
                               ("email", emails, email_domain)):
        for value in values:
            key = make(value)
            if key and (kind, key) not in keys:
                keys.append((kind, key))
    return keys
