"""11.0.1.1.0: each customer's old credit limit becomes its credit limit in
its company (in every company for a customer shared by all), then the old
column is dropped (see pre-migrate.py)."""
from odoo import SUPERUSER_ID, api

OLD_COLUMN = "cn_credit_limit_pre_1_1"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._cn_credit_limits_from_column(OLD_COLUMN)
