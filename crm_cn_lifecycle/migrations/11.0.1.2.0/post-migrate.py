"""11.0.1.2.0: forecast categories. Odoo's own stages get their default
category and every opportunity its stage's (closed ones: omitted), as a new
installation does (data/crm_cn_forecast_call_data.xml is noupdate: its
functions do not run on an upgrade)."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.stage"]._cn_default_forecast_categories()
    env["crm.lead"]._cn_reset_forecast_categories()
