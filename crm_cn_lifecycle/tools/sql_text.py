"""SQL composed with psycopg2.sql, handed to Odoo 11's cursor as text."""


def as_text(cr, query):
    """`query`, a psycopg2.sql Composable (identifiers quoted by
    sql.Identifier, values by sql.Literal or left to parameters), as a string:
    Odoo 11's cursor applies str methods to the query it logs
    (--log-level=debug_sql), and COPY takes a string."""
    return query.as_string(cr.connection)
