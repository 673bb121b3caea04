from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools.upload import UploadTooLarge, read_limited

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
            "too_many_cells": _("The file has more than the %s cells (rows x columns) an upload may "
                                "have: split it into smaller files."),
            "too_wide": _("The sheet has values right of its first %s columns: keep one table in "
                          "the first columns of the first sheet."),
            "unzipped_too_large": _("The XLSX file unpacks to more than %s bytes: save it again from "
                                    "Excel as a plain sheet, or split it."),
            "archive": _("The XLSX file holds more than %s parts: save it again from Excel as a "
                         "plain sheet."),
        }

    @api.model
    def _upload_too_large(self, limit):
        """The refusal of an upload over `limit` bytes."""
        return UserError(self._problem_messages()["too_large"] % limit)

    @api.model
    def _read_upload(self, stream):
        """Bytes of an uploaded file (a portal form's file), read with the byte
        limit checked while reading, from its start (Odoo may replay a request)."""
        try:
            return read_limited(stream, self._upload_limits()["max_bytes"])
        except UploadTooLarge as error:
            raise self._upload_too_large(error.limit)

    @api.model
    def _check_upload_size(self, data, encoded=False):
        """Refuse (UserError) a file over the byte limit before it is decoded or
        parsed. `data`: the file's bytes, or its base64 text when `encoded` (a
        Binary field, XML-RPC): its decoded size is computed, not decoded."""
        data = data or b""
        size = len(data)
        if encoded:
            newline, carriage, padding = ("\n", "\r", "=") if isinstance(data, str) else (b"\n", b"\r", b"=")
            size = (size - data.count(newline) - data.count(carriage) - data.count(padding)) * 3 // 4
        limit = self._upload_limits()["max_bytes"]
        if size > limit:
            raise self._upload_too_large(limit)

    def _format_problems(self, problems, intro):
        """`intro` (with one %s) followed by one line per problem."""
        messages = self._problem_messages()
        lines = []
        for problem in problems:
            text = messages[problem.code]
            if "%s" in text:
                text = text % (problem.value,)
            lines.append(_("Row %(row)s: %(problem)s") % {"row": problem.row, "problem": text} if problem.row else text)
        return intro % "\n".join(lines)
