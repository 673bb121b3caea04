"""Every internal role opens the forms it may open: the web client reads
every field of the form view it gets (a field hidden by a view's `groups` is
still read in Odoo 11), so a field on a model the role may not read must
carry `groups=` in the model, or the whole form fails with an access error."""
from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from .access_world import World

INTERNAL_ROLES = ("salesperson", "manager", "accountant", "credit_manager")


class TestFormViewsByRole(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestFormViewsByRole, cls).setUpClass()
        cls.world = World(cls.env)
        cls.records = [cls.world.dealer, cls.world.leads["own"], cls.world.orders["own"],
                       cls.world.tickets["own"]]

    def readable(self, record, user):
        """The record as `user`, or None if the user may not read it at all."""
        record = record.sudo(user)
        try:
            record.check_access_rights("read")
            record.check_access_rule("read")
        except AccessError:
            return None
        return record

    def test_each_role_reads_every_field_of_the_forms_it_may_open(self):
        opened, failures = 0, []
        for role in INTERNAL_ROLES:
            user = self.world.users[role]
            for record in self.records:
                record = self.readable(record, user)
                if record is None:
                    continue
                view = record.fields_view_get(view_type="form")
                try:
                    record.read(list(view["fields"]))
                    opened += 1
                except AccessError as error:
                    failures.append("%s on %s: %s" % (role, record._name, error.name.splitlines()[-1]))
        self.assertEqual(failures, [])
        self.assertGreaterEqual(opened, len(INTERNAL_ROLES) * 2,
                                "each role opens at least the dealer's and an opportunity's form")
