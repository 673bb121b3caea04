import base64

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.channel_stock import RATE_WINDOW_DAYS, check_date, check_lines, parse_stock_file

REPORT_STATES = [("draft", "Draft"), ("submitted", "Submitted"), ("superseded", "Superseded")]


class CrmCnChannelStockReport(models.Model):
    """A dealer's report of its own stock and sell-out on a date (渠道库存).

    Entered by a salesperson from a fax, sent over XML-RPC or by the dealer on
    the portal. Checked whole before anything is saved; a corrected report for
    the same date supersedes the earlier one, which is kept."""

    _name = "crm.cn.channel.stock.report"
    _description = "Dealer Stock Report"
    _inherit = ["mail.thread", "crm.cn.file.check"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True, ondelete="restrict",
        domain=[("cn_is_dealer", "=", True), ("is_company", "=", True)],
        readonly=True, states={"draft": [("readonly", False)]})
    date = fields.Date(required=True, index=True, default=fields.Date.context_today,
                       readonly=True, states={"draft": [("readonly", False)]})
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True,
                             index=True, copy=False, track_visibility="onchange")
    line_ids = fields.One2many("crm.cn.channel.stock.report.line", "report_id", string="Lines",
                               copy=True, readonly=True, states={"draft": [("readonly", False)]})
    superseded_by_id = fields.Many2one("crm.cn.channel.stock.report", string="Superseded By",
                                       readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="Entered By", default=lambda self: self.env.user,
                              readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id)

    @api.depends("dealer_id.name", "date")
    def _compute_name(self):
        for report in self:
            report.name = "%s %s" % (report.dealer_id.name or "", report.date or "")

    @api.constrains("dealer_id")
    def _check_dealer(self):
        for report in self:
            if not report.dealer_id.cn_is_dealer or report.dealer_id != report.dealer_id.commercial_partner_id:
                raise ValidationError(_("Stock reports are for dealer or agent companies: %s is not one.")
                                      % report.dealer_id.display_name)

    # --- checking -----------------------------------------------------------------

    def _problem_messages(self):
        messages = super(CrmCnChannelStockReport, self)._problem_messages()
        messages.update({
            "no_columns": _("The header needs a product code and an on-hand column (found: %s)."),
            "no_lines": _("The report has no lines."),
            "product": _("unknown product code '%s'"),
            "missing_product": _("no product code"),
            "quantity": _("'%s' is not a quantity"),
            "negative": _("negative quantity %s"),
            "duplicate": _("same product as row %s"),
            "date": _("'%s' is not a date (YYYY-MM-DD)"),
            "date_future": _("the report date %s is in the future"),
            "date_before_last": _("the report date is before the dealer's last report (%s)"),
        })
        return messages

    @api.model
    def _product_lookup(self, codes):
        """default_code -> product id, for the codes given (one query)."""
        codes = [code for code in set(codes) if code]
        products = self.env["product.product"].sudo().search_read(
            [("default_code", "in", codes), ("sale_ok", "=", True)], ["default_code"])
        return {product["default_code"]: product["id"] for product in products}

    @api.model
    def _last_report_date(self, dealer):
        last = self.sudo().search([("dealer_id", "=", dealer.id), ("state", "=", "submitted")],
                                  order="date desc", limit=1)
        return fields.Date.from_string(last.date) if last else None

    @api.model
    def _check_report(self, dealer, date, problems=()):
        """Every problem of a report (date and lines) at once, or nothing."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        problems = list(problems) + check_date(date, today, self._last_report_date(dealer))
        if problems:
            raise UserError(self._format_problems(
                problems, _("Nothing was saved: fix these problems and submit the report again.\n\n%s")))

    @api.model
    def _check_dealer_access(self, dealer):
        """Portal users report for their own company only; salespeople for the
        dealers whose salesperson they are (the record rules say so too, this
        says it first and clearly); managers for every dealer."""
        if self.env.user.has_group("base.group_user"):
            self.check_access_rights("create")
            self._cn_check_may_enter_for(dealer)
            return
        if dealer != self.env.user.commercial_partner_id:
            raise AccessError(_("You can only report the stock of your own company."))

    @api.model
    def _cn_check_may_enter_for(self, dealer):
        """Managers (and the system) enter any dealer's reports, salespeople
        their own dealers' (as the record rules say, before anything is saved)."""
        if self.env.uid == SUPERUSER_ID or self.env.user.has_group("crm_cn_lifecycle.group_manager") \
                or not self.env.user.has_group("base.group_user"):
            return
        if dealer.commercial_partner_id.user_id != self.env.user:
            raise AccessError(_("You can only enter the stock reports of your own dealers: "
                                "%s has another salesperson.") % dealer.display_name)

    @api.model
    def create(self, vals):
        if vals.get("dealer_id"):
            self._cn_check_may_enter_for(self.env["res.partner"].browse(vals["dealer_id"]))
        return super(CrmCnChannelStockReport, self).create(vals)

    @api.multi
    def write(self, vals):
        """The record rules check a report's dealer before the write: the dealer
        it is moved to is checked here."""
        if vals.get("dealer_id"):
            self._cn_check_may_enter_for(self.env["res.partner"].browse(vals["dealer_id"]))
        return super(CrmCnChannelStockReport, self).write(vals)

    # --- doors ----------------------------------------------------------------------

    @api.model
    def submit_report(self, dealer_id, date, lines):
        """Create and submit a report (XML-RPC, portal). `lines`: dicts with
        `product_code` (internal reference), `on_hand`, `sold`. Returns its id."""
        dealer = self.env["res.partner"].browse(dealer_id).exists()
        if not dealer:
            raise UserError(_("Unknown dealer %s.") % dealer_id)
        self._check_dealer_access(dealer)
        lines = lines or []
        rows = []
        for row, line in enumerate(lines, start=1):
            line = line if isinstance(line, dict) else {}
            rows.append((row, line.get("product_code") or "", line.get("on_hand", 0), line.get("sold", 0)))
        products = self._product_lookup([row[1] for row in rows if isinstance(row[1], str)])
        clean, problems = check_lines(rows, products)
        self._check_report(dealer, date, problems)
        return self._create_submitted(dealer, date, clean).id

    @api.model
    def submit_file(self, dealer_id, date, filename, data):
        """Create and submit a report from a CSV/XLSX file (bytes or base64 text);
        a file over the upload limits (bytes, cells) is refused before it is read."""
        dealer = self.env["res.partner"].browse(dealer_id).exists()
        if not dealer:
            raise UserError(_("Unknown dealer %s.") % dealer_id)
        self._check_dealer_access(dealer)
        data = getattr(data, "data", data)  # xmlrpc.client.Binary: its bytes
        self._check_upload_size(data, encoded=isinstance(data, str))
        if isinstance(data, str):
            data = base64.b64decode(data)
        clean, problems = parse_stock_file(filename, data, self._product_lookup, self._upload_limits())
        self._check_report(dealer, date, problems)
        return self._create_submitted(dealer, date, clean).id

    def _create_submitted(self, dealer, date, lines):
        """Save a checked report; portal users create through the ORM as superuser
        for their own company only (checked by _check_dealer_access)."""
        model = self if self.env.user.has_group("base.group_user") else self.sudo()
        report = model.create({
            "dealer_id": dealer.id, "date": date, "user_id": self.env.uid,
            "company_id": self.env.user.company_id.id,
            "line_ids": [(0, 0, {"product_id": line.product_id, "on_hand_qty": line.on_hand,
                                 "sold_qty": line.sold}) for line in lines],
        })
        report._submit()
        return report.sudo(self.env.uid)

    @api.multi
    def action_submit(self):
        """Backend button: check the report entered by hand, then submit it."""
        for report in self:
            if report.state != "draft":
                raise UserError(_("Only draft reports can be submitted."))
            rows = [(row, str(line.product_id.id), line.on_hand_qty, line.sold_qty)
                    for row, line in enumerate(report.line_ids, start=1)]
            _clean, problems = check_lines(rows, {str(product.id): product.id
                                                  for product in report.line_ids.mapped("product_id")})
            report._check_report(report.dealer_id, report.date, problems)
            report._submit()
        return True

    def _submit(self):
        """Submit, superseding the submitted report of the same dealer and date,
        then move the dealer's current position to the reported products."""
        for report in self:
            older = self.search([("dealer_id", "=", report.dealer_id.id), ("date", "=", report.date),
                                 ("state", "=", "submitted"), ("id", "!=", report.id)])
            older.write({"state": "superseded", "superseded_by_id": report.id})
            report.state = "submitted"
            self.env["crm.cn.channel.stock.report.line"].sudo()._update_positions((report | older).ids)

    @api.multi
    def unlink(self):
        if any(report.state != "draft" for report in self):
            raise UserError(_("Submitted reports are kept as history: only drafts can be deleted."))
        return super(CrmCnChannelStockReport, self).unlink()


class CrmCnChannelStockReportLine(models.Model):
    """One product of a dealer stock report: on hand and sold since the last report."""

    _name = "crm.cn.channel.stock.report.line"
    _description = "Dealer Stock Report Line"
    _order = "report_id, id"

    report_id = fields.Many2one("crm.cn.channel.stock.report", required=True, ondelete="cascade",
                                index=True)
    dealer_id = fields.Many2one(related="report_id.dealer_id", store=True, index=True, readonly=True)
    date = fields.Date(related="report_id.date", store=True, index=True, readonly=True)
    state = fields.Selection(related="report_id.state", store=True, index=True, readonly=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="restrict")
    on_hand_qty = fields.Float(string="On Hand", digits=(16, 2))
    sold_qty = fields.Float(string="Sold Since Last Report", digits=(16, 2))
    is_latest = fields.Boolean(string="Latest", readonly=True, copy=False,
                               help="The dealer's last submitted line for this product: its current position.")
    daily_sellout = fields.Float(string="Daily Sell-out", readonly=True, copy=False, digits=(16, 3),
                                 help="Average units sold per day over the reports of the 13 weeks "
                                      "before this one (set on the latest line).")

    @api.multi
    def write(self, vals):
        self._cn_check_history("write")
        return super(CrmCnChannelStockReportLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._cn_check_history("unlink")
        return super(CrmCnChannelStockReportLine, self).unlink()

    @api.multi
    def _cn_check_history(self, operation):
        """Lines of submitted or superseded reports are history: only a draft's
        lines change (positions and states are kept by the system)."""
        if self.env.uid != SUPERUSER_ID and any(line.report_id.state != "draft" for line in self):
            raise UserError(_("Submitted reports are kept as history: only the lines of a draft "
                              "can be changed or deleted."))

    @api.model_cr
    def init(self):
        """The estimate reads the latest lines only, from their own index;
        positions are updated per dealer and product."""
        self.env.cr.execute("""
            DROP INDEX IF EXISTS crm_cn_channel_stock_report_line_latest_idx;
            CREATE INDEX IF NOT EXISTS crm_cn_channel_stock_report_line_position_idx
                ON crm_cn_channel_stock_report_line (dealer_id, product_id)
                INCLUDE (id, date, on_hand_qty, daily_sellout) WHERE is_latest;
            CREATE INDEX IF NOT EXISTS crm_cn_channel_stock_report_line_pair_date_idx
                ON crm_cn_channel_stock_report_line (dealer_id, product_id, date)""")
        self.env.cr.execute("""
            SELECT EXISTS (SELECT 1 FROM crm_cn_channel_stock_report_line WHERE state = 'submitted')
               AND NOT EXISTS (SELECT 1 FROM crm_cn_channel_stock_report_line WHERE is_latest)""")
        if self.env.cr.fetchone()[0]:  # reports from before positions were kept
            self._update_positions()

    @api.model
    def _update_positions(self, report_ids=None):
        """Make the last submitted line of every dealer × product of these reports
        (None: of all) the latest one, with its daily sell-out
        (tools.channel_stock.daily_sellout in SQL), in one statement: the
        estimate then never scans the history."""
        self.env.cr.execute(POSITION_SQL, {"all": report_ids is None, "report_ids": list(report_ids or []),
                                           "window": RATE_WINDOW_DAYS})
        self.invalidate_cache(["is_latest", "daily_sellout"])


POSITION_SQL = """
WITH pairs AS (
    SELECT DISTINCT dealer_id, product_id FROM crm_cn_channel_stock_report_line
     WHERE %(all)s OR report_id = ANY(%(report_ids)s)
), latest AS (
    SELECT last.id, last.date, pairs.dealer_id, pairs.product_id
      FROM pairs
      CROSS JOIN LATERAL (
          SELECT l.id, l.date FROM crm_cn_channel_stock_report_line l
           WHERE l.dealer_id = pairs.dealer_id AND l.product_id = pairs.product_id AND l.state = 'submitted'
        ORDER BY l.date DESC, l.report_id DESC LIMIT 1) last
), rates AS (
    SELECT latest.id, COALESCE(sold.qty / NULLIF(latest.date - opening.date, 0), 0) AS daily
      FROM latest
      CROSS JOIN LATERAL (
          SELECT min(l.date) AS date FROM crm_cn_channel_stock_report_line l
           WHERE l.dealer_id = latest.dealer_id AND l.product_id = latest.product_id
             AND l.state = 'submitted' AND l.date >= latest.date - %(window)s) opening
      CROSS JOIN LATERAL (
          SELECT sum(l.sold_qty) AS qty FROM crm_cn_channel_stock_report_line l
           WHERE l.dealer_id = latest.dealer_id AND l.product_id = latest.product_id
             AND l.state = 'submitted' AND l.date > opening.date) sold
), changed AS (
    SELECT l.id FROM crm_cn_channel_stock_report_line l
      JOIN pairs ON pairs.dealer_id = l.dealer_id AND pairs.product_id = l.product_id
     WHERE l.is_latest
     UNION
    SELECT id FROM rates
)
UPDATE crm_cn_channel_stock_report_line line
   SET is_latest = rates.id IS NOT NULL, daily_sellout = rates.daily
  FROM changed LEFT JOIN rates ON rates.id = changed.id
 WHERE line.id = changed.id
"""

