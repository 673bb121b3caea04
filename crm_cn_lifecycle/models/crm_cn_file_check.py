from odoo import _, api, models

# ir.config_parameter keys and defaults of the upload limits (Settings).
UPLOAD_LIMITS = {
    "max_bytes": ("crm_cn_lifecycle.upload_max_bytes", 10 * 1024 * 1024),
    "max_cells": ("crm_cn_lifecycle.upload_max_cells", 200000),
    "max_files": ("crm_cn_lifecycle.upload_max_files", 5),
}


class CrmCnFileCheck(models.AbstractModel):
    """Words, in the user's language, the problems tools/ finds in an uploaded
    file (respondent lists, dealer stock reports): every row, with its number."""

    _name = "crm.cn.file.check"
    _description = "Uploaded File Check"

    @api.model
    def _upload_limits(self):
        """{'max_bytes', 'max_cells', 'max_files'}: what one upload may hold."""
        params = self.env["ir.config_parameter"].sudo()
        limits = {}
        for key, (param, default) in UPLOAD_LIMITS.items():
            try:
                limits[key] = int(params.get_param(param, default))
            except (TypeError, ValueError):
                limits[key] = default
            limits[key] = limits[key] if limits[key] > 0 else default
        return limits

    def _problem_messages(self):
        """Message per problem code; `%s` takes the problem's value."""
        return {
            "encoding": _("The file is neither UTF-8 nor GBK/GB18030 text: save it again as CSV or XLSX."),
            "format": _("Unsupported file type (%s): use a .csv or .xlsx file."),
            "empty": _("The file has no rows below its header."),
            "too_large": _("The file is larger than the %s bytes an upload may have."),
        }

    def _format_problems(self, problems, intro):
        """`intro` (with one %s) followed by one line per problem."""
        messages = self._problem_messages()
        lines = []
        for problem in problems:
            text = messages[problem.code]
            if "%s" in text:
                text = text % (problem.value,)
            lines.append(_("Row %s: %s") % (problem.row, text) if problem.row else text)
        return intro % "\n".join(lines)
