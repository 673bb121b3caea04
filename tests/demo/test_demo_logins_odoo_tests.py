"""The demo users coexist with the users Odoo's own tests create.

Odoo's and OCA's tests create users with fixed logins ('manager' and 'user'
in sale's, 'csm' in crm's ...); a demo user with the same login makes those
tests fail on res_users_login_key (`make odoo-tests` runs them). This reads
the login literals in the installed addons' tests, so a renamed demo login
that an Odoo test uses is caught in the demo step of `make test`.
"""
import os
import re

import odoo.addons
from odoo.tests.common import TransactionCase

MODULE = "crm_cn_lifecycle"
_LITERALS = (
    re.compile(r"""['"]login['"]\s*:\s*['"]([^'"]+)['"]"""),  # {'login': 'manager'}
    re.compile(r"""\blogin\s*=\s*['"]([^'"]+)['"]"""),  # phantom_js(..., login="portal")
    re.compile(r"""^\s*login:\s*([\w.@-]+)\s*$""", re.M),  # YAML tests
    re.compile(r"""<field name="login">([^<]+)<"""),  # XML test data
)


def odoo_test_logins():
    """Logins written in the tests folders of every addon Odoo can import."""
    logins = set()
    for addons_dir in odoo.addons.__path__:
        for module in sorted(os.listdir(addons_dir)):
            for folder in ("tests", "test"):
                root = os.path.join(addons_dir, module, folder)
                for dirpath, _dirs, files in os.walk(root):
                    for name in files:
                        if not name.endswith((".py", ".yml", ".xml")):
                            continue
                        with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as handle:
                            text = handle.read()
                        for pattern in _LITERALS:
                            logins.update(login.strip() for login in pattern.findall(text))
    return logins


class TestDemoLoginsOdooTests(TransactionCase):

    def test_no_demo_login_is_a_login_odoo_tests_create(self):
        data = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "res.users")])
        demo_logins = set(self.env["res.users"].with_context(active_test=False).browse(data.mapped("res_id")).mapped("login"))
        self.assertIn("cn_sales", demo_logins)
        test_logins = odoo_test_logins()
        # the logins of sale's own tests, which the first demo logins collided with
        self.assertTrue({"manager", "user", "csm"} <= test_logins, "the scan of Odoo's tests found too little")
        self.assertFalse(demo_logins & test_logins, "demo logins also created by Odoo's own tests")
