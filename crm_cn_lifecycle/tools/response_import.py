"""Reading and checking campaign respondent lists (attendees of a trade show,
replies to a mailing): CSV or XLSX, UTF-8, UTF-8 with BOM or GBK/GB18030,
Chinese or English headers.

Nothing here touches the database: the wizard gives the file and the
province lookup, and gets back clean rows or every problem found. Problems
are codes with parameters, so that the caller words them in the user's
language.
"""
import codecs
import csv
import io
import re
import zipfile
from collections import namedtuple
from zlib import error as zlib_error

from lxml import etree

from .regions import province_key

FIELDS = ("company", "contact", "phone", "mobile", "email", "province", "city",
          "interest", "notes")

HEADER_ALIASES = {
    "company": ("company", "company name", "organization", "organisation", "account",
                "公司", "公司名称", "单位", "单位名称", "企业", "企业名称", "客户名称"),
    "contact": ("contact", "contact name", "name", "full name", "attendee",
                "联系人", "姓名", "参会人", "客户姓名"),
    "phone": ("phone", "telephone", "tel", "office phone", "电话", "固定电话", "座机", "联系电话"),
    "mobile": ("mobile", "cell", "cellphone", "mobile phone", "手机", "手机号", "手机号码", "移动电话"),
    "email": ("email", "e-mail", "mail", "email address", "邮箱", "电子邮件", "电子邮箱", "邮件"),
    "province": ("province", "state", "region", "省", "省份", "省/直辖市", "省市", "地区"),
    "city": ("city", "town", "城市", "市", "所在城市"),
    "interest": ("interest", "product interest", "product category", "category",
                 "意向产品", "感兴趣产品", "产品类别", "意向", "兴趣"),
    "notes": ("notes", "note", "comment", "comments", "remarks", "备注", "说明", "留言"),
}
_HEADER_INDEX = {
    alias.lower(): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}

_NON_DIGITS_RE = re.compile(r"\D")
_NOT_ALNUM_RE = re.compile(r"[\s\W_]+")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_CHARS_RE = re.compile(r"^[0-9+\-\s().\u2014/]*(?:(?:ext|x|转)\s*\d+)?$", re.IGNORECASE)
_LEGAL_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "分公司",
    "co., ltd.", "co.,ltd.", "co. ltd.", "co ltd", "co., ltd", "company limited",
    "limited", "ltd.", "ltd", "inc.", "inc", "llc", "corporation", "corp.", "corp",
    "gmbh", "company", "co.",
)

Problem = namedtuple("Problem", "row code value")
"""row: 1-based line in the file (header = row 1); code: one of PROBLEMS."""

PROBLEMS = ("encoding", "format", "empty", "no_columns", "missing_name", "email",
            "phone", "mobile", "province", "duplicate", "too_large", "too_many_cells",
            "too_wide", "unzipped_too_large", "archive")

MAX_BYTES = 10 * 1024 * 1024
"""Default byte limit of an upload (the addon's Settings may change it)."""
MAX_CELLS = 200000
"""Default number of cells (rows x columns as read) an upload may hold."""
MAX_COLUMNS = 200
"""Widest sheet read: a value further right is refused, an empty cell ignored."""
MAX_MEMBERS = 500
"""Parts an .xlsx archive may hold (Excel writes a few dozen)."""
UNZIP_RATIO = 20
MAX_UNZIPPED = 100 * 1024 * 1024
"""An .xlsx may unpack to UNZIP_RATIO times the byte limit, never more than this."""
UNZIP_CHUNK = 512 * 1024
MAX_PIECE = 16 * UNZIP_CHUNK
"""Longest text read before the next element starts (a cell's text is far shorter)."""

Response = namedtuple("Response", FIELDS + ("row", "state_id", "email_key",
                                            "phone_keys", "company_key"))


Limits = namedtuple("Limits", "max_bytes max_cells")


def upload_limits(limits=None):
    """Limits from a dict such as crm.cn.file.check._upload_limits() (other keys
    ignored, missing ones default), a Limits, or None for the defaults."""
    if isinstance(limits, Limits):
        return limits
    limits = limits or {}
    return Limits(limits.get("max_bytes") or MAX_BYTES, limits.get("max_cells") or MAX_CELLS)


class ImportFileError(Exception):
    """The file cannot be read at all (encoding, format): `problem` says why."""

    def __init__(self, problem):
        super(ImportFileError, self).__init__(problem.code)
        self.problem = problem


# --- normalisation, shared with de-duplication -----------------------------

def email_key(email):
    return (email or "").strip().lower()


def phone_digits(phone):
    """Digits of a phone number, without China's country code."""
    digits = _NON_DIGITS_RE.sub("", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def company_key(name):
    """Company name without case, spaces, punctuation and legal-form suffixes:
    '广州越秀文具有限公司' and '广州越秀文具' agree, as do 'Acme Co., Ltd.' and 'ACME'."""
    key = (name or "").strip().lower()
    stripped = True
    while stripped and key.endswith(_LEGAL_SUFFIXES):
        stripped = False
        for suffix in _LEGAL_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)].rstrip(" ,.")
                stripped = True
    return _NOT_ALNUM_RE.sub("", key)


# --- reading ------------------------------------------------------------------

def decode(data):
    """Text of a CSV file in UTF-8 (with or without BOM) or GBK/GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(Problem(0, "encoding", ""))


def read_table(filename, data, limits=None):
    """Rows of cells (strings) of a .csv or .xlsx/.xls file, header first.
    Refuses (ImportFileError) a file over the byte or cell limit of `limits`
    (see upload_limits) before it is held whole in memory. Rows are padded to
    the widest one only when that stays within the cell limit: callers accept
    short rows."""
    limits = upload_limits(limits)
    if len(data) > limits.max_bytes:
        raise ImportFileError(Problem(0, "too_large", limits.max_bytes))
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xls")):
        return _read_excel(data, limits)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(data, limits.max_cells)
    raise ImportFileError(Problem(0, "format", filename))


def _too_many_cells(max_cells):
    return ImportFileError(Problem(0, "too_many_cells", max_cells))


def _read_csv(data, max_cells):
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows, count = [], 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            count += len(row) or 1  # a blank line is a row too
            if count > max_cells:
                raise _too_many_cells(max_cells)
            rows.append([cell.strip() for cell in row])
    except csv.Error:  # a NUL byte, a field over csv's own size limit
        raise ImportFileError(Problem(0, "format", "csv"))
    return rows


def _read_excel(data, limits=None):
    limits = upload_limits(limits)
    if data[:2] == b"PK":  # .xlsx: a zip of XML parts
        max_unzipped = min(UNZIP_RATIO * limits.max_bytes, MAX_UNZIPPED)
        try:
            return _read_xlsx(data, limits.max_cells, max_unzipped)
        except (zipfile.BadZipfile, KeyError, IndexError, ValueError, EOFError, zlib_error,
                NotImplementedError, RuntimeError, etree.XMLSyntaxError):  # damaged, encrypted
            raise ImportFileError(Problem(0, "format", "xlsx"))
    import xlrd  # Odoo 11 ships xlrd 1.x, which reads .xls
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception:
        raise ImportFileError(Problem(0, "format", "xlsx"))
    if sheet.nrows * sheet.ncols > limits.max_cells:
        raise _too_many_cells(limits.max_cells)
    return [[_excel_cell(sheet.cell(row, col).value) for col in range(sheet.ncols)]
            for row in range(sheet.nrows)]


def _excel_cell(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed as numbers
    return str(value).strip()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# An .xlsx sheet is machine-written XML of a fixed shape: scanning it with
# one regular expression is several times faster than building elements, which
# is what a 100,000-row respondent list needs. Tokens: a row start (its number
# when written first, its other attributes), or a cell (its column letters when
# its reference is written first, its other attributes, then a plain value, a
# plain inline string, or other content; nothing for an empty cell).
_SHEET_TOKEN_RE = re.compile(
    r'<(?:\w+:)?(row)\b(?:\s+r="(\d+)")?([^>]*)>'
    r'|<(?:\w+:)?c\b(?:\s+r="([A-Z]+)\d*")?([^>]*?)(?:/>|>(?:<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>'
    r"|<(?:\w+:)?is><(?:\w+:)?t>([^<]*)</(?:\w+:)?t></(?:\w+:)?is>|(.*?))</(?:\w+:)?c>)", re.S)
_REF_RE = re.compile(r'\br="([A-Z]*)(\d*)"')
_TYPE_RE = re.compile(r'\bt="([^"]*)"')
_VALUE_RE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT_RE = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")
_PHONETIC_RE = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SI_RE = re.compile(r"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text):
    if "&" not in text:
        return text
    return _ENTITY_RE.sub(lambda match: _ENTITIES.get(match.group(1)) or chr(
        int(match.group(1)[2:], 16) if match.group(1)[1] == "x" else int(match.group(1)[1:])), text)


def _read_xlsx(data, max_cells=MAX_CELLS, max_unzipped=MAX_UNZIPPED):
    """Rows of the first sheet of an .xlsx file (xlrd builds a whole workbook
    model, several times slower on big respondent lists). The archive is
    checked first and its parts unpacked in chunks up to `max_unzipped` bytes
    in all, the cells counted as they are read: a zip bomb or a sheet of
    millions of cells is refused with little memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        unzip = _Unzip(book, max_unzipped)
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            strings = _shared_strings(unzip.pieces("xl/sharedStrings.xml", _SI_START_RE), max_cells)
        return _sheet_rows(unzip.pieces(_first_sheet(unzip), _CELL_START_RE), strings, max_cells)


class _Unzip(object):
    """Parts of an .xlsx archive, unpacked within a budget of bytes that counts
    what is actually unpacked (a part may lie about its size)."""

    def __init__(self, book, max_unzipped):
        infos = book.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ImportFileError(Problem(0, "archive", MAX_MEMBERS))
        if any(info.file_size > max_unzipped for info in infos):
            raise ImportFileError(Problem(0, "unzipped_too_large", max_unzipped))
        self.book, self.limit, self.left = book, max_unzipped, max_unzipped

    def chunks(self, name):
        """The part's text, chunk by chunk (UTF-8)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        with self.book.open(name) as member:
            while True:
                block = member.read(UNZIP_CHUNK)
                if not block:
                    break
                self.left -= len(block)
                if self.left < 0:
                    raise ImportFileError(Problem(0, "unzipped_too_large", self.limit))
                yield decoder.decode(block)
        yield decoder.decode(b"", True)

    def text(self, name):
        return "".join(self.chunks(name))

    def pieces(self, name, start_re):
        """The part's text in pieces cut just before an element that `start_re`
        matches, so that no element is split between two pieces."""
        pending, size = [], 0
        for chunk in self.chunks(name):
            cut = _last_start(chunk, start_re)
            if cut < 0:
                pending.append(chunk)
                size += len(chunk)
                if size > MAX_PIECE:  # no cell is that long (Excel: 32,767 characters)
                    raise ValueError("xlsx element over %d characters" % MAX_PIECE)
                continue
            pending.append(chunk[:cut])
            yield "".join(pending)
            pending = [chunk[cut:]]
            size = len(pending[0])
        yield "".join(pending)


# Start of a cell or a row, of a shared string (after any namespace prefix).
_CELL_START_RE = re.compile(r"<(?:\w+:)?(?:c|row)[\s>/]")
_SI_START_RE = re.compile(r"<(?:\w+:)?si[\s>/]")
# Safe parser for the small workbook parts: no entities, no network, no huge trees.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _last_start(text, start_re):
    """Position of the last element start in `text` that `start_re` matches, or -1."""
    position = len(text)
    while True:
        position = text.rfind("<", 0, position)
        if position < 0 or start_re.match(text, position):
            return position


def _shared_strings(pieces, max_cells):
    strings = []
    for piece in pieces:
        strings.extend(_text_of(match.group(1) or "").strip() for match in _SI_RE.finditer(piece))
        if len(strings) > max_cells:
            raise _too_many_cells(max_cells)
    return strings


def _first_sheet(unzip):
    workbook = etree.fromstring(unzip.text("xl/workbook.xml").encode("utf-8"), _XML_PARSER)
    first = workbook.find("%ssheets/%ssheet" % (_NS, _NS))
    if first is None:
        raise KeyError("sheet")
    rels = etree.fromstring(unzip.text("xl/_rels/workbook.xml.rels").encode("utf-8"), _XML_PARSER)
    for rel in rels:
        if rel.get("Id") == first.get(_REL_NS + "id"):
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError("sheet")


def _text_of(xml):
    """Text of a shared or inline string: its <t> parts, phonetic guides left
    out (as Excel shows it)."""
    if "<rPh" in xml:
        xml = _PHONETIC_RE.sub("", xml)
    return _unescape("".join(match.group(1) or "" for match in _TEXT_RE.finditer(xml)))


def _sheet_rows(pieces, strings, max_cells=MAX_CELLS):
    """Rows of a sheet's XML given in pieces (see _Unzip.pieces). Counts what it
    holds (cells, the empty cells before a cell further right, empty rows) and
    refuses past `max_cells`; a cell right of MAX_COLUMNS is refused if it has
    a value, ignored if empty (a styled cell at XFD1 does not add 16,384)."""
    rows, cells = [], []
    columns, kinds = {}, {}  # column letters -> index, other attributes -> cell type
    count = 0
    for piece in pieces:
        tokens = _SHEET_TOKEN_RE.findall(piece)
        row_tokens = 0
        for (row, row_number, row_attributes, letters, attributes, value, inline,
             other) in tokens:
            if row:
                row_tokens += 1
                if rows and not cells:
                    count += 1  # an empty row holds a list too
                if not row_number:
                    number = _REF_RE.search(row_attributes)
                    row_number = number.group(2) if number else ""
                number = int(row_number) if row_number else len(rows) + 1
                if number - 1 > len(rows):
                    count += number - 1 - len(rows)
                    if count > max_cells:
                        raise _too_many_cells(max_cells)
                    rows.extend([] for _gap in range(number - 1 - len(rows)))
                cells = []
                rows.append(cells)
                continue
            kind = kinds.get(attributes)
            if kind is None:
                kind = _TYPE_RE.search(attributes)
                kind = kinds[attributes] = kind.group(1) if kind else "n"
            if kind == "s" and value:
                text = strings[int(value)]
            elif kind == "inlineStr" and inline:
                text = _unescape(inline).strip()
            elif value or inline or other:
                text = _xlsx_cell(kind, value, inline, other, strings)
            else:
                text = ""
            if not letters and "r=" in attributes:
                reference = _REF_RE.search(attributes)
                letters = reference.group(1) if reference else ""
            if letters:
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column_index(letters)
            else:
                column = len(cells)
            if column >= MAX_COLUMNS:
                if text:
                    raise ImportFileError(Problem(0, "too_wide", MAX_COLUMNS))
                continue
            if column > len(cells):
                count += column - len(cells)
                if count > max_cells:
                    raise _too_many_cells(max_cells)
                cells.extend([""] * (column - len(cells)))
            cells.append(text)
        count += len(tokens) - row_tokens  # the cells of the piece
        if count > max_cells:
            raise _too_many_cells(max_cells)
    for cells in rows:
        while cells and not cells[-1]:
            cells.pop()
    width = max([len(cells) for cells in rows] or [0])
    if width * len(rows) > max_cells:
        return rows
    return [cells + [""] * (width - len(cells)) if len(cells) < width else cells for cells in rows]


def _column_index(letters):
    """0-based index of a column: A -> 0, AA -> 26."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column - 1


def _xlsx_cell(kind, value, inline, other, strings):
    if kind == "inlineStr":
        return _unescape(inline).strip() if inline else _text_of(other).strip()
    if other:
        value = _VALUE_RE.search(other)
        value = value.group(1) if value else ""
    if not value or kind == "e":
        return ""
    value = _unescape(value)
    if kind == "s":
        return strings[int(value)]
    if kind in ("str", "b"):
        return value.strip()
    try:
        return _excel_cell(float(value))
    except ValueError:
        return value.strip()


def read_rows(filename, data, limits=None):
    """(rows, problem): the non-empty rows of a file, header first, or None and
    the problem that stops reading it (encoding, format, a limit, no rows)."""
    try:
        table = read_table(filename, data, limits)
    except ImportFileError as error:
        return None, error.problem
    table = [row for row in table if any(cell for cell in row)]
    if len(table) < 2:
        return None, Problem(0, "empty", "")
    return table, None


def map_headers(header, aliases=None):
    """Column index of each known field; unknown columns are ignored.
    `aliases` maps lower-case header titles to fields (default: respondents')."""
    aliases = _HEADER_INDEX if aliases is None else aliases
    columns = {}
    for index, title in enumerate(header):
        field = aliases.get((title or "").strip().lower())
        if field and field not in columns:
            columns[field] = index
    return columns


# --- checking -------------------------------------------------------------------

def parse_responses(filename, data, provinces, limits=None):
    """Read and check a respondent file.

    `provinces` maps province_key(name) -> res.country.state id (see
    regions.province_lookup); `limits` as read_table. Returns (responses,
    problems): every problem of every row; callers save nothing unless
    `problems` is empty."""
    table, problem = read_rows(filename, data, limits)
    if problem:
        return [], [problem]
    columns = map_headers(table[0])
    if "company" not in columns and "contact" not in columns:
        return [], [Problem(1, "no_columns", ", ".join(table[0]))]
    picks = [columns.get(field) for field in FIELDS]
    check = _row_checker(provinces)
    responses, problems = [], []
    seen = {}
    for line, cells in enumerate(table[1:], start=2):
        width = len(cells)
        response, row_problems = check(line, [
            cells[index] if index is not None and index < width else "" for index in picks])
        keys = _identity_keys(response)
        for key in keys:
            if key in seen:
                row_problems.append(Problem(line, "duplicate", seen[key]))
                break
        problems.extend(row_problems)
        if not row_problems:
            for key in keys:
                seen.setdefault(key, line)
            responses.append(response)
    return responses, problems


def _row_checker(provinces):
    """check(line, values in FIELDS order, stripped) -> (Response, problems).
    Provinces and company keys repeat across a list: each distinct one is
    looked up once."""
    states, companies = {}, {}

    def check(line, values):
        company, contact, phone, mobile, email, province, _city, _interest, _notes = values
        problems = []
        if not company and not contact:
            problems.append(Problem(line, "missing_name", ""))
        if email and not EMAIL_RE.match(email):
            problems.append(Problem(line, "email", email))
        phone_keys = set()
        for field, value in (("phone", phone), ("mobile", mobile)):
            if value:
                digits = phone_digits(value)
                if not PHONE_CHARS_RE.match(value) or not 7 <= len(digits) <= 15:
                    problems.append(Problem(line, field, value))
                phone_keys.add(digits)
        state_id = False
        if province:
            state_id = states.get(province)
            if state_id is None:
                state_id = states[province] = provinces.get(province_key(province), False)
            if not state_id:
                problems.append(Problem(line, "province", province))
        key = companies.get(company)
        if key is None:
            key = companies[company] = company_key(company)
        values.extend((line, state_id, email_key(email), tuple(sorted(phone_keys)), key))
        return Response._make(values), problems

    return check


def _identity_keys(response):
    """What makes two rows the same person: e-mail, mobile, or company and
    contact name (colleagues may share an office phone, not a mobile)."""
    keys = [("name", response.company_key, response.contact.lower())]
    if response.email_key:
        keys.append(("email", response.email_key))
    if response.mobile:
        keys.append(("mobile", phone_digits(response.mobile)))
    return keys
