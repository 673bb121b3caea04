import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.forecast_call import parse_quota_file


class CrmCnForecastQuotaImport(models.TransientModel):
    """Import sales quotas from a CSV or XLSX file (one row a quota:
    salesperson or team, quarter, optional week and product category,
    amount). The whole file is checked first; one bad row and nothing is
    saved. Sales managers only."""

    _name = "crm.cn.forecast.quota.import"
    _inherit = "crm.cn.file.check"
    _description = "Import Sales Quotas"

    file = fields.Binary(required=True,
                         help="CSV or XLSX with columns salesperson (login or name) or team, quarter "
                              "(any day of it), week (optional), category (optional), amount; "
                              "English or Chinese headers; UTF-8 or GBK.")
    filename = fields.Char()
    created_count = fields.Integer(string="Quotas Created", readonly=True)

    def _problem_messages(self):
        messages = super(CrmCnForecastQuotaImport, self)._problem_messages()
        messages.update({
            "no_columns": _("The header needs a salesperson or team column, a quarter and an amount "
                            "column (found: %s)."),
            "owner": _("neither a salesperson nor a team"),
            "both_owners": _("both a salesperson and a team (%s): one row per quota"),
            "user": _("unknown salesperson '%s'"),
            "team": _("unknown sales team '%s'"),
            "quarter_date": _("'%s' is not a date (YYYY-MM-DD)"),
            "week_date": _("the week '%s' is not a date (YYYY-MM-DD)"),
            "week_outside": _("the week %s is not in the quarter"),
            "category": _("unknown product category '%s'"),
            "amount": _("'%s' is not an amount"),
            "negative": _("negative amount %s"),
            "duplicate": _("same quota as row %s"),
        })
        return messages

    @api.model
    def _lookups(self):
        """(users, teams, categories): lower-case login or name -> id, of this company."""
        users = {}
        for user in self.env["res.users"].search([("share", "=", False)]):
            users.setdefault((user.name or "").strip().lower(), user.id)
            users[(user.login or "").strip().lower()] = user.id
        teams = {(team.name or "").strip().lower(): team.id for team in self.env["crm.team"].search([])}
        categories = {}
        for category in self.env["product.category"].search([]):
            categories[(category.complete_name or "").strip().lower()] = category.id
            categories.setdefault((category.name or "").strip().lower(), category.id)
        return users, teams, categories

    @api.model
    def _quarter_of(self, day):
        weeks = self.env["crm.cn.forecast.report"].quarter_weeks(fields.Date.to_string(day))
        return weeks[0].start, [week.start for week in weeks]

    @api.multi
    def action_import(self):
        self.ensure_one()
        Quota = self.env["crm.cn.forecast.quota"]
        Quota._cn_check_manager()
        Quota.check_access_rights("create")
        self._check_upload_size(self.file, encoded=True)
        data = base64.b64decode(self.file or b"")
        users, teams, categories = self._lookups()
        lines, problems = parse_quota_file(self.filename, data, users, teams, categories,
                                           self._quarter_of, self._upload_limits())
        if problems:
            raise UserError(self._format_problems(
                problems, _("Nothing was imported: fix these rows and import the file again.\n\n%s")))
        quotas = Quota.browse()
        for values in [{
            "user_id": line.user_id or False, "team_id": line.team_id or False,
            "quarter_start": fields.Date.to_string(line.quarter_start),
            "week_start": line.week_start and fields.Date.to_string(line.week_start) or False,
            "categ_id": line.categ_id or False, "amount": line.amount} for line in lines]:
            quotas |= Quota.create(values)  # a few hundred rows: the checks and snapping of create
        self.created_count = len(quotas)
        return {"type": "ir.actions.act_window", "res_model": "crm.cn.forecast.quota",
                "name": _("Sales Quotas"), "view_mode": "tree,form",
                "domain": [("id", "in", quotas.ids)]}
