"""Forecast categories, quotas, the weekly call and the quarter's summary,
without a database: the models gather rows and call these.

Categories follow the usual sales-forecast ladder: `commit` (the salesperson
stakes the deal on this quarter), `best_case` (may land this quarter),
`pipeline` (open, not yet likely) and `omitted` (closed, or left out of the
forecast). The best-case figure includes the commit: booked + commit +
best case; the commit figure is booked + commit.
"""
import datetime
from collections import namedtuple

from .channel_stock import parse_quantity
from .forecast import mape
from .response_import import Problem, map_headers, read_rows

PIPELINE, BEST_CASE, COMMIT, OMITTED = "pipeline", "best_case", "commit", "omitted"
CATEGORIES = (PIPELINE, BEST_CASE, COMMIT, OMITTED)
LEVELS = ("user", "team", "company")
ADJUSTMENT_TOLERANCE = 0.005
"""A call that differs from its raw sum by less than half a cent is not adjusted."""


def category_of(is_closed, stage_category=None, chosen=None):
    """The forecast category of an opportunity: closed ones (won or lost) are
    always omitted; open ones keep what the salesperson chose, else the stage's
    default, else pipeline."""
    if is_closed:
        return OMITTED
    return chosen or stage_category or PIPELINE


Prefill = namedtuple("Prefill", "booked commit best_case pipeline omitted call_commit call_best_case")
"""Sums of expected revenue per category, the booked amount, and the two
figures a call is prefilled with (booked + commit; booked + commit + best case)."""


def prefill(opportunities, booked=0.0):
    """`opportunities`: (category, expected revenue) of the open opportunities
    closing in the quarter; `booked`: the orders booked so far in it."""
    sums = dict.fromkeys(CATEGORIES, 0.0)
    for category, amount in opportunities:
        sums[category or PIPELINE] += amount or 0.0
    commit = booked + sums[COMMIT]
    return Prefill(booked, sums[COMMIT], sums[BEST_CASE], sums[PIPELINE], sums[OMITTED],
                   commit, commit + sums[BEST_CASE])


def is_adjusted(raw, call, tolerance=ADJUSTMENT_TOLERANCE):
    """Whether a called figure differs from the raw sum it was prefilled with."""
    return abs((call or 0.0) - (raw or 0.0)) >= tolerance


def latest_by(calls):
    """The latest call of each key: `calls` are (key, submitted at, call id,
    figures); returns {key: figures}. Ties on time go to the higher id."""
    latest = {}
    for key, when, call_id, figures in calls:
        if key not in latest or (when, call_id) > latest[key][:2]:
            latest[key] = (when, call_id, figures)
    return {key: value[2] for key, value in latest.items()}


def sum_of_latest(calls):
    """(commit, best case) summed over the latest call of each key; `calls`
    as for latest_by with figures (commit, best case)."""
    latest = latest_by(calls).values()
    return (sum(figures[0] for figures in latest), sum(figures[1] for figures in latest))


def reliability(calls):
    """Mean absolute % error of calls against what was actually booked, per
    submitter: `calls` are (submitter, called commit, actual booked) of the
    quarters that have ended. {submitter: (number of calls, MAPE or None)};
    calls of a quarter that booked nothing count in the number, not the error."""
    by_submitter = {}
    for submitter, called, actual in calls:
        by_submitter.setdefault(submitter, []).append((called, actual))
    return {submitter: (len(pairs), mape(pairs)) for submitter, pairs in by_submitter.items()}


def attainment(booked, quota):
    """booked / quota in %, None without a quota."""
    if not quota:
        return None
    return 100.0 * booked / quota


def quota_by_week(rows, week_starts):
    """Spread quotas over the quarter's weeks. `rows`: (week start or None,
    amount); rows without a week are quarter totals. Returns (quarter quota,
    [quota of each week]): weeks with their own rows keep them; what the
    quarter totals leave after those is spread evenly over the other weeks.
    Without quarter totals the quarter is the sum of the week rows."""
    week_rows, quarter_total = {}, 0.0
    has_total = False
    for week, amount in rows:
        if week is None:
            quarter_total += amount or 0.0
            has_total = True
        else:
            week_rows[week] = week_rows.get(week, 0.0) + (amount or 0.0)
    weekly_sum = sum(week_rows.get(week, 0.0) for week in week_starts)
    if not has_total:
        return weekly_sum, [week_rows.get(week, 0.0) for week in week_starts]
    free = [week for week in week_starts if week not in week_rows]
    share = (quarter_total - weekly_sum) / len(free) if free else 0.0
    return quarter_total, [week_rows[week] if week in week_rows else share for week in week_starts]


SUMMARY_MEASURES = ("quota", "booked", "commit", "best_case", "pipeline", "expected_model")


def summary(weeks, quotas, facts, call=None):
    """The quarter week by week. `weeks`: (number, start, end); `quotas`: the
    quota of each week; `facts`: {week start: {measure: amount}} for booked,
    commit, best_case, pipeline, expected_model (open opportunities by the
    week they are expected to close); `call`: (raw commit, commit, raw best
    case, best case) of the latest call or None.

    Each week: its figures, the cumulative booked and quota, attainment
    (cumulative booked / cumulative quota) and gap (cumulative quota -
    cumulative booked). The quarter: the sums, attainment and gap against
    the quarter's quota, the call, and the gap of the call to the quota."""
    rows, cumulative_booked, cumulative_quota = [], 0.0, 0.0
    totals = dict.fromkeys(SUMMARY_MEASURES, 0.0)
    for (number, start, end), quota in zip(weeks, quotas):
        week_facts = facts.get(start, {})
        row = {"week": number, "start": start, "end": end, "quota": quota}
        for name in SUMMARY_MEASURES[1:]:
            row[name] = week_facts.get(name, 0.0)
        cumulative_booked += row["booked"]
        cumulative_quota += quota
        row.update(booked_to_date=cumulative_booked, quota_to_date=cumulative_quota,
                   attainment=attainment(cumulative_booked, cumulative_quota),
                   gap=cumulative_quota - cumulative_booked)
        for name in SUMMARY_MEASURES:
            totals[name] += row[name]
        rows.append(row)
    quarter = dict(totals, attainment=attainment(totals["booked"], totals["quota"]),
                   gap=totals["quota"] - totals["booked"])
    if call:
        raw_commit, commit, raw_best_case, best_case = call
        quarter.update(call_raw_commit=raw_commit, call_commit=commit,
                       call_raw_best_case=raw_best_case, call_best_case=best_case,
                       call_gap=totals["quota"] - commit)
    else:
        quarter.update(call_raw_commit=None, call_commit=None, call_raw_best_case=None,
                       call_best_case=None, call_gap=None)
    return rows, quarter


# --- quota files ------------------------------------------------------------------

QUOTA_HEADER_ALIASES = {
    "salesperson": ("salesperson", "sales person", "user", "login", "销售员", "销售人员", "业务员"),
    "team": ("team", "sales team", "销售团队", "团队"),
    "quarter": ("quarter", "quarter start", "from", "date", "季度", "季度开始", "日期"),
    "week": ("week", "week start", "周", "周开始"),
    "category": ("category", "product category", "产品类别", "类别"),
    "amount": ("amount", "quota", "target", "金额", "配额", "指标", "销售指标"),
}
QUOTA_HEADER_INDEX = {alias.lower(): field for field, aliases in QUOTA_HEADER_ALIASES.items()
                      for alias in aliases}
QUOTA_PROBLEMS = ("no_columns", "owner", "both_owners", "user", "team", "quarter_date", "week_date",
                  "week_outside", "category", "amount", "negative", "duplicate")

_WEEK = datetime.timedelta(days=7)

QuotaLine = namedtuple("QuotaLine", "row user_id team_id quarter_start week_start categ_id amount")


def _parse_day(value):
    """A date typed in a sheet ('2026-10-05', '2026/10/05', an XLSX date), or None."""
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()[:10].replace("/", "-")
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


def check_quota_rows(rows, users, teams, categories, quarter_of):
    """Check raw quota rows (row, salesperson, team, quarter, week, category,
    amount). `users`, `teams`, `categories` map lower-case names (or logins)
    to ids; `quarter_of(day)` gives (quarter start, [week starts]) of the
    fiscal quarter holding `day`. Returns (QuotaLines, Problems); a quarter
    and a week may be any day of them (they are snapped to their start)."""
    lines, problems, seen = [], [], {}
    for row, user, team, quarter, week, category, amount in rows:
        found = []
        user, team, category = (str(value or "").strip() for value in (user, team, category))
        user_id = users.get(user.lower()) if user else None
        team_id = teams.get(team.lower()) if team else None
        if user and team:
            found.append(Problem(row, "both_owners", "%s / %s" % (user, team)))
        elif not user and not team:
            found.append(Problem(row, "owner", ""))
        elif user and not user_id:
            found.append(Problem(row, "user", user))
        elif team and not team_id:
            found.append(Problem(row, "team", team))
        day = _parse_day(quarter)
        quarter_start = week_start = None
        if not day:
            found.append(Problem(row, "quarter_date", str(quarter or "")))
        else:
            quarter_start, week_starts = quarter_of(day)
            if str(week or "").strip():
                week_day = _parse_day(week)
                if not week_day:
                    found.append(Problem(row, "week_date", str(week)))
                else:
                    week_start = next((start for start in week_starts
                                       if start <= week_day < start + _WEEK), None)
                    if week_start is None:
                        found.append(Problem(row, "week_outside", str(week)))
        categ_id = categories.get(category.lower()) if category else None
        if category and not categ_id:
            found.append(Problem(row, "category", category))
        value = parse_quantity(amount)
        if value is None:
            found.append(Problem(row, "amount", str(amount)))
        elif value < 0:
            found.append(Problem(row, "negative", str(amount)))
        key = (user_id, team_id, quarter_start, week_start, categ_id)
        if not found and key in seen:
            found.append(Problem(row, "duplicate", seen[key]))
        if found:
            problems.extend(found)
        else:
            seen[key] = row
            lines.append(QuotaLine(row, user_id, team_id, quarter_start, week_start, categ_id, value))
    return lines, problems


def parse_quota_file(filename, data, users, teams, categories, quarter_of, limits=None):
    """Read and check a quota file (CSV or XLSX, English or Chinese headers;
    the byte and cell limits checked while reading). Returns (lines, problems)."""
    table, problem = read_rows(filename, data, limits)
    if problem:
        return [], [problem]
    columns = map_headers(table[0], QUOTA_HEADER_INDEX)
    if "amount" not in columns or "quarter" not in columns or not (
            "salesperson" in columns or "team" in columns):
        return [], [Problem(1, "no_columns", ", ".join(table[0]))]
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        def get(field, cells=cells):
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else ""
        rows.append((line, get("salesperson"), get("team"), get("quarter"), get("week"),
                     get("category"), get("amount")))
    return check_quota_rows(rows, users, teams, categories, quarter_of)
