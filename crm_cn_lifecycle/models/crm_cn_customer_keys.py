"""Filling the customer key columns (tools/name_keys.py) of a big table.

A stored computed column added to a table of a million leads would be
computed and written record by record by the ORM at install; instead the
columns are created before the ORM looks at the table and filled here in
batches: one SELECT per batch, the keys computed in Python, one COPY and
one UPDATE per batch. The ORM then finds the columns there and keeps them
up to date on create and write like any stored computed field."""
import io

from psycopg2 import sql

from odoo.tools import column_exists, create_column, table_exists

from ..tools.name_keys import email_domain, name_keys, phone_key
from ..tools.sql_text import as_text

KEY_COLUMNS = ("cn_name_key", "cn_name_key_en", "cn_phone_key", "cn_email_domain")
BATCH = 50000


def _copy_text(value):
    if not value:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def fill_key_columns(cr, table, select_sql):
    """Create and fill the key columns of `table` once. `select_sql` selects
    (id, company name or NULL, phone, mobile, e-mail) of rows with id > %s,
    ordered by id, LIMIT %s."""
    if not table_exists(cr, table) or all(column_exists(cr, table, name) for name in KEY_COLUMNS):
        return
    for name in KEY_COLUMNS:
        if not column_exists(cr, table, name):
            create_column(cr, table, name, "varchar")
    cr.execute("CREATE TEMPORARY TABLE crm_cn_key_fill (id int4, cn_name_key varchar, "
               "cn_name_key_en varchar, cn_phone_key varchar, cn_email_domain varchar)")
    last_id = 0
    while True:
        cr.execute(select_sql, (last_id, BATCH))
        rows = cr.fetchall()
        if not rows:
            break
        last_id = rows[-1][0]
        buffer = io.StringIO()
        for record_id, name, phone, mobile, email in rows:
            keys = name_keys(name) + (phone_key(phone) or phone_key(mobile), email_domain(email))
            if any(keys):
                buffer.write("%d\t%s\n" % (record_id, "\t".join(_copy_text(key) for key in keys)))
        buffer.seek(0)
        cr.copy_from(buffer, "crm_cn_key_fill")
        cr.execute(as_text(cr, sql.SQL("UPDATE {} t SET {} FROM crm_cn_key_fill f WHERE t.id = f.id").format(
            sql.Identifier(table), sql.SQL(", ").join(
                sql.SQL("{0} = f.{0}").format(sql.Identifier(name)) for name in KEY_COLUMNS))))
        cr.execute("TRUNCATE crm_cn_key_fill")
    cr.execute("DROP TABLE crm_cn_key_fill")


def compute_keys(record, name, phone, mobile, email):
    """Set the key fields of `record` from its values."""
    record.cn_name_key, record.cn_name_key_en = name_keys(name)
    record.cn_phone_key = phone_key(phone) or phone_key(mobile)
    record.cn_email_domain = email_domain(email)


def key_values(name, phone, mobile, email):
    """The key fields' values of one row, for bulk_create (`keep` KEY_FIELDS)."""
    key, other_key = name_keys(name)
    return {"cn_name_key": key, "cn_name_key_en": other_key,
            "cn_phone_key": phone_key(phone) or phone_key(mobile), "cn_email_domain": email_domain(email)}


KEY_FIELDS = KEY_COLUMNS
