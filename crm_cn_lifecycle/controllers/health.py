"""A health check for a reverse proxy or a monitor: GET /crm_cn/health.

Public (no login, no CSRF), read-only and cheap: one query on the database,
no ORM, no record read. It tells whether the database answers and which
version of the addon is on disk and in the database (they differ while an
upgrade with -u is pending); never a database name, a user or a figure. A call
without a session leaves no session behind.
"""
import json
import logging

from odoo import http
from odoo.http import request
from odoo.modules.module import load_information_from_description_file

_logger = logging.getLogger(__name__)
MODULE = "crm_cn_lifecycle"


class HealthCheck(http.Controller):

    @http.route("/crm_cn/health", type="http", auth="none", methods=["GET", "HEAD"], csrf=False)
    def health(self):
        """200 {"status": "ok", ...} when the database answers, else 503 {"status": "error", ...}."""
        body = {
            "status": "ok",
            "database": True,
            "version": load_information_from_description_file(MODULE)["version"],
            "installed_version": None,
        }
        try:
            request.cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", (MODULE,))
            row = request.cr.fetchone()
            body["installed_version"] = row[0] if row else None
        except Exception:  # pylint: disable=broad-except
            _logger.exception("health check: the database did not answer")
            body.update(status="error", database=False)
        if request.session.new:
            # A monitor keeps no cookie: Odoo would store a new session file
            # (holding only the database name) for every call it makes.
            request.session.modified = False
        return http.Response(json.dumps(body), status=200 if body["database"] else 503, headers=[
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ])
