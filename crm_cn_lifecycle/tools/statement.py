"""An account statement (对账单) of a customer for a period: the balance
brought forward, each posted document of the period with the running
balance, and the balance carried forward. Plain Python: data in, data out."""
from datetime import date, datetime

DATE_FORMAT = "%Y-%m-%d"
# A statement longer than this is refused (a page, a PDF, a sheet of years of lines)
MAX_DAYS = 3 * 366


def parse_date(value):
    """A date from "YYYY-MM-DD" (or a date), None when empty; ValueError when malformed."""
    if value in (None, "", False):
        return None
    if isinstance(value, date):
        return value
    return datetime.strptime(value.strip(), DATE_FORMAT).date()


def default_period(today):
    """This year up to `today`: (1 January, today)."""
    return date(today.year, 1, 1), today


def check_period(date_from, date_to, max_days=MAX_DAYS):
    """The reason the period is refused ("order", "length") or None when it is fine."""
    if date_from > date_to:
        return "order"
    if (date_to - date_from).days > max_days:
        return "length"
    return None


def running_statement(opening, lines, digits=2):
    """The statement from the balance brought forward `opening` and the
    period's `lines` (dicts with "debit" and "credit", in date order).

    Returns {"opening", "lines" (copies with "balance": the running balance
    after the line), "debit", "credit", "closing"}, every amount rounded to
    `digits` (a -0.0 shown as 0.0)."""
    balance = round(opening or 0.0, digits) + 0.0
    result_lines = []
    debit_total = credit_total = 0.0
    for line in lines:
        debit = round(line.get("debit") or 0.0, digits) + 0.0
        credit = round(line.get("credit") or 0.0, digits) + 0.0
        balance = round(balance + debit - credit, digits) + 0.0
        debit_total += debit
        credit_total += credit
        row = dict(line, debit=debit, credit=credit, balance=balance)
        result_lines.append(row)
    return {
        "opening": round(opening or 0.0, digits) + 0.0,
        "lines": result_lines,
        "debit": round(debit_total, digits) + 0.0,
        "credit": round(credit_total, digits) + 0.0,
        "closing": balance,
    }
