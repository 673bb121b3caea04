"""The access matrix (tests/access_matrix.csv) holds through XML-RPC, the door
integrations and scripts use: one `execute_kw` per cell as the role's user.

Every cell of every row is tried on both the own and the other's record, as
the ORM test does; allowed unlinks come last, each on a record built for it.
Wizards (transient) are left to the ORM test: Odoo's one implicit rule (own
records only) is the same for every role."""
import xmlrpc.client

from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, get_db_name, post_install

from .access_world import (OPERATIONS, ROLES, World, cell_arguments, expected_outcome, is_refusal,
                           load_matrix, mismatch, walked_models)
from .common import LifecycleHttpCase

ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR


def rpc_refusal(fault):
    """An AccessError, or Odoo's ValidationError wrapping one (see is_refusal)."""
    if fault.faultCode == ACCESS_ERROR:
        return True
    return "ValidationError" in fault.faultString and is_refusal(ValidationError, fault.faultString)


@at_install(False)
@post_install(True)
class TestAccessMatrixXmlRpc(LifecycleHttpCase):

    def build_world(self):
        self.matrix = load_matrix()
        self.world = World(self.env)

    def execute(self, role, model, method, *args):
        user = self.world.users[role]
        return self.xmlrpc_object.execute_kw(get_db_name(), user.id, user.login, model, method,
                                             list(args), {})

    def cells(self, models):
        """(row, operation, side): every cell of every non-transient row, on the
        own and on the other's record."""
        for model in models:
            if self.env[model].is_transient():
                continue
            for role in ROLES:
                row = self.matrix.get((model, role))
                if not row:
                    continue  # test_access_matrix reports the missing rows
                for operation in OPERATIONS:
                    for side in ("own", "other"):
                        yield row, operation, side

    def prepare(self, cells, fresh=False):
        """[(row, operation, side, record id, arguments)], built and saved for the
        server; `fresh`: new records for each cell (an allowed unlink deletes one)."""
        plan = []
        with self.server_cursor():
            for row, operation, side in cells:
                if fresh:
                    for key in list(self.world.cache):
                        if key in (row.model, (row.model, row.role)) or key[0] == "parent":
                            del self.world.cache[key]
                try:
                    record, args = cell_arguments(self.world, row.model, row.role, operation, side)
                except Exception as exc:
                    record, args = None, exc
                plan.append((row, operation, side, record and record.id, args))
            self.server_cr.commit()
        return plan

    def attempt(self, role, model, operation, record_id, args):
        if isinstance(args, Exception):
            return "factory error %s: %s" % (type(args).__name__, args)
        try:
            if operation == "read":
                self.execute(role, model, "read", [record_id], args)
            elif operation == "create":
                self.execute(role, model, "create", args)
            elif operation == "write":
                self.execute(role, model, "write", [record_id], args)
            else:
                self.execute(role, model, "unlink", [record_id])
        except xmlrpc.client.Fault as fault:
            if rpc_refusal(fault):
                return "refused"
            return "error %s: %s" % (fault.faultCode, fault.faultString.strip().splitlines()[-1])
        return "allowed"

    def test_every_cell_of_the_access_matrix_holds_over_xmlrpc(self):
        with self.server_cursor():
            models, _skipped = walked_models(self.env, self.matrix)  # test_access_matrix says which
            cells = list(self.cells(models))
        deleting = [cell for cell in cells
                    if cell[1] == "unlink" and expected_outcome(*cell) == "allowed"]
        others = [cell for cell in cells if cell not in deleting]
        mismatches = []
        # allowed unlinks last, each on records of its own
        for batch in [self.prepare(others)] + [self.prepare([cell], fresh=True) for cell in deleting]:
            for row, operation, side, record_id, args in batch:
                found = mismatch(row, operation, side,
                                 self.attempt(row.role, row.model, operation, record_id, args))
                if found:
                    mismatches.append(found)
        self.assertGreater(len(cells), 0)
        self.assertEqual([], mismatches, "\n%d cells differ from access_matrix.csv over XML-RPC "
                         "(%d calls):\n%s" % (len(mismatches), len(cells), "\n".join(mismatches)))
