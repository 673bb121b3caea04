"""Odoo merges every subclass of a controller into one class: two of the
addon's portal controllers defining a helper of the same name silently
replace one another (the deal registration form's line reader once replaced
the stock report form's, and every reported quantity became 0)."""
import ast
import glob
import os
import unittest

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.portal.controllers.portal import CustomerPortal

CONTROLLERS = os.path.join(os.path.dirname(__file__), os.pardir, "crm_cn_lifecycle", "controllers")
BASES = (CustomerPortal, HelpdeskTicketController)


def methods_by_class():
    """{(file, class name): [method names]} of the addon's controllers."""
    found = {}
    for path in sorted(glob.glob(os.path.join(CONTROLLERS, "*.py"))):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found[os.path.basename(path), node.name] = [
                    item.name for item in node.body if isinstance(item, ast.FunctionDef)]
    return found


class TestControllerNames(unittest.TestCase):

    def test_no_two_controllers_define_the_same_helper(self):
        owners = {}
        for owner, names in methods_by_class().items():
            for name in names:
                if not any(hasattr(base, name) for base in BASES):  # an override calls super()
                    owners.setdefault(name, []).append(owner)
        self.assertGreater(len(owners), 10, "the controllers were read")
        clashes = {name: where for name, where in owners.items() if len(where) > 1}
        self.assertEqual(clashes, {})
