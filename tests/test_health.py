"""The health check a reverse proxy or a monitor calls: GET /crm_cn/health."""
import json

from odoo.modules.module import load_information_from_description_file
from odoo.tests.common import at_install, post_install

from .common import LifecycleHttpCase


@at_install(False)
@post_install(True)
class TestHealth(LifecycleHttpCase):

    def test_health_answers_without_login_with_the_addon_versions(self):
        response = self.url_open("/crm_cn/health")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        on_disk = load_information_from_description_file("crm_cn_lifecycle")["version"]
        with self.server_cursor() as env:
            installed = env["ir.module.module"].search([("name", "=", "crm_cn_lifecycle")]).latest_version
        self.assertEqual(json.loads(response.text), {
            "status": "ok", "database": True, "version": on_disk, "installed_version": installed})

    def test_health_tells_nothing_more_than_its_four_keys(self):
        body = self.url_open("/crm_cn/health").text
        self.assertEqual(sorted(json.loads(body)), ["database", "installed_version", "status", "version"])
        self.assertNotIn(self.env.cr.dbname, body)
        self.assertNotIn("admin", body)

    def test_health_refuses_a_post(self):
        response = self.url_open("/crm_cn/health", data={"x": "1"})
        self.assertEqual(response.status_code, 405)
