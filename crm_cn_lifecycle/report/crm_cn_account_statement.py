from odoo import api, models


class AccountStatementReport(models.AbstractModel):
    """The account statement as a printed report: each partner's statement
    for the period of `data` (date_from, date_to), read through
    res.partner.cn_account_statement, so the reader's access is checked."""

    _name = "report.crm_cn_lifecycle.report_account_statement"
    _description = "Account Statement Report"

    @api.model
    def get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        statements = [partner.cn_account_statement(
            data.get("date_from"), data.get("date_to"), company_id=data.get("company_id"))
                      for partner in partners]
        company = self.env["res.partner"]._cn_statement_company(data.get("company_id"))
        return {
            "doc_ids": docids, "doc_model": "res.partner", "docs": partners,
            "statements": statements, "currency": company.currency_id,
            "cn_no_pdf": data.get("cn_no_pdf"),
        }
