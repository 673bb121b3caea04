"""The dealer's own account on the portal: its balance, overdue and credit on
the portal home, and its account statement for a period (page, PDF, XLSX).

Only the figures of the logged-in user's own company (commercial partner) are
read: no route takes a partner id, so no other customer can be asked for."""
from odoo import _, fields
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATEMENT_REPORT = "crm_cn_lifecycle.action_report_account_statement"


class AccountPortal(CustomerPortal):

    @route(["/my", "/my/home"], type="http", auth="user", website=True)
    def home(self, **kw):
        response = super(AccountPortal, self).home(**kw)
        if request.env.user.share:
            response.qcontext.update(self._cn_account_values())
        return response

    def _cn_account_values(self):
        """The user's company's figures as the backend computes them
        (res.partner._cn_credit_figures), read as superuser for this partner only."""
        user = request.env.user
        partner = user.commercial_partner_id
        company = user.company_id
        figures = partner.sudo()._cn_credit_figures(company=company.sudo()).get(partner.id) \
            or partner.sudo()._cn_empty_figures()
        today = fields.Date.from_string(fields.Date.context_today(user))
        oldest = figures.get("oldest_overdue_date")
        if oldest and isinstance(oldest, str):
            oldest = fields.Date.from_string(oldest)
        return {"cn_account": {
            "balance": figures["balance"], "overdue": figures["overdue"],
            "overdue_days": (today - oldest).days if oldest and figures["overdue"] > 0 else 0,
            "credit_limit": figures["credit_limit"], "headroom": figures["headroom"],
            "has_limit": figures["headroom"] is not None,
            "currency": company.sudo().currency_id,
        }}

    def _cn_statement(self, kw):
        """(statement, error): the user's own statement for the period asked."""
        partner = request.env.user.commercial_partner_id
        try:
            return partner.cn_account_statement(kw.get("date_from"), kw.get("date_to")), None
        except (UserError, AccessError) as error:
            return None, error.name

    def _cn_statement_page(self, kw, statement, error):
        values = self._prepare_portal_layout_values()
        values.update({
            "statement": statement, "error": error, "page_name": "cn_statement",
            "date_from": kw.get("date_from") or (statement or {}).get("date_from", ""),
            "date_to": kw.get("date_to") or (statement or {}).get("date_to", ""),
            "currency": request.env.user.company_id.sudo().currency_id,
        })
        response = request.render("crm_cn_lifecycle.portal_my_statement", values)
        if error:
            response.status_code = 400
        return response

    @route(["/my/statement"], type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        statement, error = self._cn_statement(kw)
        return self._cn_statement_page(kw, statement, error)

    @route(["/my/statement/xlsx"], type="http", auth="user", website=True)
    def portal_my_statement_xlsx(self, **kw):
        statement, error = self._cn_statement(kw)
        if error:
            return self._cn_statement_page(kw, None, error)
        data = request.env["res.partner"]._cn_statement_xlsx(statement)
        filename = "statement-%s-%s.xlsx" % (statement["date_from"], statement["date_to"])
        return request.make_response(data, headers=[
            ("Content-Type", XLSX_MIMETYPE), ("Content-Length", len(data)),
            ("Content-Disposition", 'attachment; filename="%s"' % filename)])

    @route(["/my/statement/pdf"], type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, **kw):
        """The statement as a PDF; where the server cannot make PDFs (no
        wkhtmltopdf), the same report as an HTML page, saying so."""
        statement, error = self._cn_statement(kw)
        if error:
            return self._cn_statement_page(kw, None, error)
        # the user proved it may read this statement: render it for its own partner only
        report = request.env.ref(STATEMENT_REPORT).sudo()
        partner_ids = [statement["partner_id"]]
        data = {"date_from": statement["date_from"], "date_to": statement["date_to"],
                "company_id": request.env.user.company_id.id}
        if report.get_wkhtmltopdf_state() == "ok":
            pdf = report.render_qweb_pdf(partner_ids, data=data)[0]
            filename = "statement-%s-%s.pdf" % (statement["date_from"], statement["date_to"])
            return request.make_response(pdf, headers=[
                ("Content-Type", "application/pdf"), ("Content-Length", len(pdf)),
                ("Content-Disposition", 'attachment; filename="%s"' % filename)])
        data["cn_no_pdf"] = _("PDF printing is not available on this server: "
                              "print this page from your browser instead.")
        html = report.render_qweb_html(partner_ids, data=data)[0]
        return request.make_response(html, headers=[("Content-Type", "text/html; charset=utf-8")])
