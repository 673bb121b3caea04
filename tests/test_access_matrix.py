"""The access matrix (tests/access_matrix.csv) holds cell by cell through the ORM:
every model of the addon, every role, read/create/write/unlink of an own and
an other's record, tried as the role's user."""
import csv
import os

from odoo.tests.common import SavepointCase

from .access_world import (OPERATIONS, PENDING_MODELS, ROLES, SIDES, World, cell_arguments,
                           coverage_problems, is_refusal, load_matrix, mismatch, walked_models)


class _Rollback(Exception):
    """Undo an operation that was allowed."""


def observed_value(outcomes):
    """The matrix value of (own outcome, other's outcome)."""
    return {("allowed", "allowed"): "all", ("allowed", "refused"): "own",
            ("refused", "refused"): "none"}.get(outcomes, "?")


class TestAccessMatrix(SavepointCase):
    """One world, every cell; mismatches are reported together."""

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        cls.matrix = load_matrix()
        cls.world = World(cls.env)

    def attempt(self, model, role, operation, side):
        """'allowed', 'refused' (see is_refusal) or the unexpected error, undone either way."""
        try:
            record, args = cell_arguments(self.world, model, role, operation, side)
        except Exception as exc:  # a broken factory is a failure of its own cells
            self.env.clear()
            return "factory error %s: %s" % (type(exc).__name__, exc)
        Model = self.env[model].sudo(self.world.users[role])
        try:
            with self.env.cr.savepoint():
                if operation == "read":
                    Model.browse(record.id).read(args)
                elif operation == "create":
                    Model.create(args)
                elif operation == "write":
                    Model.browse(record.id).write(args)
                else:
                    Model.browse(record.id).unlink()
                raise _Rollback()
        except _Rollback:
            return "allowed"
        except Exception as exc:
            if is_refusal(type(exc), str(exc)):
                return "refused"
            return "error %s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        finally:
            self.env.clear()

    maxDiff = None

    def test_every_addon_model_has_its_rows_in_the_access_matrix(self):
        self.assertEqual([], coverage_problems(self.env, self.matrix))

    def test_models_another_change_brings_are_walked_once_in_the_registry(self):
        models, skipped = walked_models(self.env, self.matrix)
        if skipped:
            self.skipTest("; ".join(skipped))
        self.assertLessEqual(set(PENDING_MODELS), set(models))

    def test_every_cell_of_the_access_matrix_holds_through_the_orm(self):
        models, _skipped = walked_models(self.env, self.matrix)
        mismatches, observed = [], []
        for model in models:
            for role in ROLES:
                row = self.matrix.get((model, role))
                values = []
                for operation in OPERATIONS:
                    outcomes = tuple(self.attempt(model, role, operation, side) for side in SIDES)
                    values.append(observed_value(outcomes))
                    if row:
                        mismatches.extend(filter(None, (mismatch(row, operation, side, outcome)
                                                        for side, outcome in zip(SIDES, outcomes))))
                observed.append([model, role] + values)
        dump = os.environ.get("CN_ACCESS_MATRIX_DUMP")
        if dump:  # what the code does today, to review against the table
            with open(dump, "w", newline="") as handle:
                csv.writer(handle).writerows([["model", "role"] + list(OPERATIONS)] + observed)
        self.assertGreater(len(observed), 0)
        self.assertEqual([], mismatches, "\n%d cells differ from access_matrix.csv:\n%s" % (
            len(mismatches), "\n".join(mismatches)))
