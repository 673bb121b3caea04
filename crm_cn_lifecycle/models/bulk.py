"""Creating many records at once.

Odoo 11's create() takes one record per call (about 10 ms for a lead with
its tracking and triggers), so a 100,000-row import would take a quarter of
an hour. bulk_create() copies the rows (with the model's defaults) into a
scratch table and inserts them with one statement that also computes the
stored computed fields it knows the SQL of (stored related fields along
many2one columns, and the fields of SQL_COMPUTES): recomputing them record
by record cost more than the insert itself. The ORM computes the other
stored fields, and whatever depends on the new records elsewhere (e.g. a
customer's first and last campaign). On Odoo 12 and later it is
`model.create(vals_list)`.
"""
import io

from psycopg2 import sql

from odoo import fields

from ..tools.sql_text import as_text

LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")

# Stored computed fields (not related) whose compute, on a new record, is this
# SQL expression (constant SQL text) over its row `t`;
# tests/test_response_import.py compares the result with records the ORM created.
SQL_COMPUTES = {
    # crm: abs((date_open - create_date).days), 0.0 without a date
    ("crm.lead", "day_open"): """COALESCE(abs(floor(extract(epoch FROM
        date_trunc('second', t.date_open) - date_trunc('second', t.create_date)) / 86400)), 0)""",
    ("crm.lead", "day_close"): """COALESCE(abs(floor(extract(epoch FROM
        date_trunc('second', t.date_closed) - date_trunc('second', t.create_date)) / 86400)), 0)""",
    ("crm.cn.campaign.response", "partner_id"): """COALESCE(
        (SELECT l.partner_id FROM crm_lead l WHERE l.id = t.lead_id), t.matched_partner_id)""",
}
# Stored computed fields of other models that depend on the new rows, each
# group recomputed by one UPDATE of all the records waiting for it (the ORM
# computes and writes them record by record): res.partner's first and last
# campaign touch (models/res_partner.py, _compute_cn_campaign_touches), and its next
# activity deadline (mail's activity_date_deadline, activities bulk-created by the tier rules).
# %(ids)s: the records; %(uid)s: the user.
SQL_RECOMPUTES = [
    ("res.partner", ("cn_first_campaign_id", "cn_last_campaign_id", "cn_last_response_date"), """
        UPDATE res_partner p
           SET cn_first_campaign_id = (
                   SELECT r.campaign_id FROM crm_cn_campaign_response r
                    WHERE r.commercial_partner_id = p.id ORDER BY r.date, r.id LIMIT 1),
               (cn_last_campaign_id, cn_last_response_date) = (
                   SELECT r.campaign_id, r.date FROM crm_cn_campaign_response r
                    WHERE r.commercial_partner_id = p.id ORDER BY r.date DESC, r.id DESC LIMIT 1),
               write_uid = %(uid)s, write_date = (now() AT TIME ZONE 'UTC')
         WHERE p.id = ANY(%(ids)s)"""),
    # mail's next activity deadline of a customer (related activity_ids.date_deadline,
    # activities in date order), when activities are created in bulk (tier rules)
    ("res.partner", ("activity_date_deadline",), """
        UPDATE res_partner p
           SET activity_date_deadline = next.deadline,
               write_uid = %(uid)s, write_date = (now() AT TIME ZONE 'UTC')
          FROM unnest(%(ids)s::int[]) waiting(id)
          LEFT JOIN (SELECT a.res_id, MIN(a.date_deadline) AS deadline FROM mail_activity a
                      WHERE a.res_model = 'res.partner' AND a.res_id = ANY(%(ids)s)
                      GROUP BY a.res_id) next ON next.res_id = waiting.id
         WHERE p.id = waiting.id"""),
]
# Column types a missing related value stores as NULL (False in the ORM).
NULL_WHEN_EMPTY = ("many2one", "selection", "char", "text", "date", "datetime")


def bulk_create(model, vals_list, keep=(), raw=()):
    """Create one record of `model` per dict of `vals_list` (stored, non-x2many
    fields only) and return them. No mail tracking, like tracking_disable.
    `keep`: stored computed fields every row gives, kept as given (not
    recomputed record by record). `raw`: text or HTML fields whose values the
    caller built safe (e.g. HTML it escaped itself), stored as given: not
    sanitized again row by row."""
    if not vals_list:
        return model.browse()
    stored = {name for name, field in model._fields.items()
              if field.store and field.column_type and name not in LOG_COLUMNS and name != "id"}
    defaults = model.default_get(sorted(stored))
    names = set(defaults)
    for vals in vals_list:
        names.update(vals)
    unknown = names - stored
    if unknown:
        raise ValueError("bulk_create(%s) cannot write %s" % (model._name, sorted(unknown)))
    not_text = [name for name in raw if model._fields[name].type not in ("char", "text", "html")]
    if not_text:
        raise ValueError("bulk_create(%s) stores only text fields raw, not %s" % (model._name, not_text))
    names = sorted(names)
    levels = _sql_levels(model, set(names))
    done = [model._fields[name] for level in levels for name, _expression in level]
    columns = ["id"] + names + list(LOG_COLUMNS)
    cr, empty = model.env.cr, model.browse()
    cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)", (model._sequence, len(vals_list)))
    ids = [row[0] for row in cr.fetchall()]
    log = [_copy_value(value) for value in (model.env.uid, fields.Datetime.now())] * 2
    # per column: its converter and the COPY text of its default, written
    # once for every row that does not give the column
    # once for every row that does not give the column; a text of a plain
    # text column needs no conversion, only COPY's escapes
    columns_out = []
    for name in names:
        field = model._fields[name]
        convert = _monetary_to_column if field.type == "monetary" else field.convert_to_column
        plain = (field.type in ("char", "text", "selection") or name in raw) \
            and not getattr(field, "size", None) and field.column_type[0] in ("varchar", "text")
        columns_out.append((name, convert, _copy_value(convert(defaults.get(name), empty)), plain))
    log = "\t".join(log)
    text = io.StringIO()
    write = text.write
    for record_id, vals in zip(ids, vals_list):
        write("%d\t%s\t%s\n" % (record_id, "\t".join([
            default if name not in vals else
            vals[name].translate(_COPY_ESCAPES) if plain and vals[name].__class__ is str else
            _copy_value(convert(vals[name], empty))
            for name, convert, default, plain in columns_out]), log))
    text.seek(0)
    # COPY into a scratch table, then one INSERT computing the stored fields:
    # several times faster than INSERT ... VALUES for 100,000 rows.
    scratch = sql.Identifier("crm_cn_bulk_%s" % model._table)
    cr.execute(as_text(cr, sql.SQL("CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP").format(
        scratch, sql.SQL(", ").join([
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_column_type(model, name)))
            for name in columns]))))
    cr.copy_expert(as_text(cr, sql.SQL("COPY {} ({}) FROM STDIN").format(
        scratch, sql.SQL(", ").join([sql.Identifier(name) for name in columns]))), text)
    cr.execute(as_text(cr, _insert_sql(model, columns, levels, scratch)))
    cr.execute(as_text(cr, sql.SQL("DROP TABLE {}").format(scratch)))
    records = model.browse(ids).with_context(prefetch_fields=False)
    # What depends on the new rows (here and on other models) is marked for
    # recomputation; what SQL already set is taken off that list.
    records.modified(names + [field.name for field in done] + ["create_date"])
    for field in done + [model._fields[name] for name in keep]:
        records.env.remove_todo(field, records)
    _recompute_in_sql(model.env)
    records.recompute()
    return records


def _recompute_in_sql(env):
    """Recompute the fields of SQL_RECOMPUTES waiting for it, one UPDATE per group."""
    for model_name, names, sql in SQL_RECOMPUTES:
        model = env[model_name]
        waiting = [model._fields[name] for name in names]
        records = model.browse()
        for field in waiting:
            records |= env.field_todo(field)
        if not records:
            continue
        env.cr.execute(sql, {"ids": records.ids, "uid": env.uid})
        for field in waiting:
            env.remove_todo(field, records)
        records.invalidate_cache(list(names) + ["write_uid", "write_date"], records.ids)


def _insert_sql(model, columns, levels, scratch):
    """INSERT (a psycopg2.sql Composed) of the rows of table `scratch` (an
    sql.Identifier), the stored computed fields of `levels` (lists of
    (name, expression), each level using only the ones before) computed on
    the way in; the expressions see the columns not given as NULL."""
    computed = {name for level in levels for name, _expression in level}
    select = sql.SQL("SELECT {} FROM {} v").format(sql.SQL(", ").join(
        [sql.SQL("v.{}").format(sql.Identifier(name)) for name in columns] + [
            sql.SQL("NULL::{} AS {}").format(sql.SQL(field.column_type[1]), sql.Identifier(name))
            for name, field in model._fields.items()
            if field.store and field.column_type and name not in columns and name not in computed]), scratch)
    names = list(columns)
    for level in levels:
        select = sql.SQL("SELECT t.*, {} FROM ({}) t").format(sql.SQL(", ").join([
            sql.SQL("({})::{} AS {}").format(
                expression, sql.SQL(_column_type(model, name)), sql.Identifier(name))
            for name, expression in level]), select)
        names.extend(name for name, _expression in level)
    return sql.SQL("INSERT INTO {} ({}) SELECT {} FROM ({}) t").format(
        sql.Identifier(model._table), sql.SQL(", ").join([sql.Identifier(name) for name in names]),
        sql.SQL(", ").join([sql.SQL("t.{}").format(sql.Identifier(name)) for name in names]), select)


def _monetary_to_column(value, _record):
    """Monetary.convert_to_column() of a value given an empty record, as
    bulk_create() gives it: no currency to round to, so the value as a float
    (the ORM's call looks the currency up first, which cost 0.2 ms a row)."""
    return float(value or 0.0)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value):
    """`value` (as convert_to_column gives it) in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, (int, float)):
        return repr(value)
    raise ValueError("bulk_create cannot copy %r" % (value,))


def _column_type(model, name):
    if name == "id":
        return "int4"
    if name in ("create_uid", "write_uid"):
        return "int4"
    if name in ("create_date", "write_date"):
        return "timestamp"
    return model._fields[name].column_type[1]


def _sql_levels(model, given):
    """The stored computed fields of `model` that SQL can compute for a new row,
    as levels of (name, expression): a level uses only the fields given and the
    levels before it."""
    pending = {}
    for name, field in model._fields.items():
        if field.store and field.column_type and field.compute and name not in given:
            expression = _sql_expression(model, field)
            if expression is not None:
                pending[name] = (field, expression)
    levels = []
    while pending:
        level = sorted((name, expression) for name, (field, expression) in pending.items()
                       if not {path.split(".")[0] for path in field.depends} & (set(pending) - {name}))
        if not level:  # fields depending on each other: left to the ORM
            break
        levels.append(level)
        for name, _expression in level:
            del pending[name]
    return levels


def _sql_expression(model, field):
    """SQL (a psycopg2.sql Composable) for `field` of a new row `t` of
    `model`, or None when unknown."""
    if (model._name, field.name) in SQL_COMPUTES:
        return sql.SQL(SQL_COMPUTES[(model._name, field.name)])
    if not field.related or field.type not in NULL_WHEN_EMPTY:
        return None
    current, joins, previous = model, [], "t"
    for position, name in enumerate(field.related):
        hop = current._fields.get(name)
        if hop is None or not hop.store or (not hop.column_type and hop.type not in ("one2many", "many2many")):
            return None
        if hop.type in ("one2many", "many2many"):
            # a new record has no lines yet (bulk_create writes no x2many)
            return sql.SQL("NULL") if position == 0 else None
        if position == len(field.related) - 1:
            if joins:
                return sql.SQL("(SELECT {}.{} {})").format(
                    sql.Identifier(previous), sql.Identifier(name), _from_clause(joins))
            return sql.SQL("t.{}").format(sql.Identifier(name))
        if hop.type != "many2one":
            return None
        alias = "j%d" % position
        comodel = model.env[hop.comodel_name]
        joins.append((comodel._table, alias, previous, name))
        current, previous = comodel, alias
    return None


def _from_clause(joins):
    """FROM ... JOIN ... WHERE for a chain of many2one hops starting at row t."""
    table, alias, _source, column = joins[0]
    query = sql.SQL("FROM {} {}").format(sql.Identifier(table), sql.Identifier(alias))
    for table_n, alias_n, source_n, column_n in joins[1:]:
        query += sql.SQL(" JOIN {} {} ON {}.id = {}.{}").format(
            sql.Identifier(table_n), sql.Identifier(alias_n), sql.Identifier(alias_n),
            sql.Identifier(source_n), sql.Identifier(column_n))
    return query + sql.SQL(" WHERE {}.id = t.{}").format(sql.Identifier(alias), sql.Identifier(column))
