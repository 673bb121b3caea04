from odoo import fields, models


WEEKDAYS = [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
            ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")]
MONTHS = [(str(month), name) for month, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)]


class ResCompany(models.Model):
    """Company-wide credit hold and forecast calendar settings."""

    _inherit = "res.company"

    cn_credit_hold_overdue_days = fields.Integer(
        string="Credit Hold after Overdue Days", default=0,
        help="Confirming an order is refused when the customer has money overdue more "
             "than this many days. 0: no hold for overdue money.")
    cn_credit_include_quotations = fields.Boolean(
        string="Quotations Sent Count in Exposure",
        help="Quotations sent to the customer (which it can accept on the portal) add "
             "to its credit exposure.")
    cn_week_start = fields.Selection(
        WEEKDAYS, string="Forecast Week Starts on", default="0", required=True,
        help="First day of the forecast weeks.")
    cn_fiscal_year_start_month = fields.Selection(
        MONTHS, string="Fiscal Year Starts in", default="1", required=True,
        help="The fiscal year, cut into 13-week quarters, starts on the first week "
             "day on or before the first day of this month.")
