from odoo import _, models


class CrmCnFileCheck(models.AbstractModel):
    """Words, in the user's language, the problems tools/ finds in an uploaded
    file (respondent lists, dealer stock reports): every row, with its number."""

    _name = "crm.cn.file.check"
    _description = "Uploaded File Check"

    def _problem_messages(self):
        """Message per problem code; `%s` takes the problem's value."""
        return {
            "encoding": _("The file is neither UTF-8 nor GBK/GB18030 text: save it again as CSV or XLSX."),
            "format": _("Unsupported file type (%s): use a .csv or .xlsx file."),
            "empty": _("The file has no rows below its header."),
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
