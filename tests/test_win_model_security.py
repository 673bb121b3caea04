"""Win models are written by the training only, and a fitted pipeline (a
pickle) is loaded only when the signature the training made still matches."""
import base64
import io
import xmlrpc.client

import joblib
import psycopg2

from odoo.addons.crm_cn_lifecycle.models.crm_cn_win_model import LOADED, SIGNING_PURPOSE
from odoo.addons.crm_cn_lifecycle.tools import win_model
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, get_db_name, post_install

from .common import GROUP_MANAGER, LifecycleHttpCase, create_user
from .test_win_model import WinWorld

LOGGER = "odoo.addons.crm_cn_lifecycle.models.crm_cn_win_model"
FUTURE = "2099-01-01 00:00:00"
# Set when a planted pipeline is unpickled: it must never be.
PLANTED = []


def _planted(marker):
    """What the planted pipeline runs on the server as soon as it is unpickled."""
    PLANTED.append(marker)


class _Planted(object):
    def __reduce__(self):
        return (_planted, ("planted pipeline ran",))


def planted_blob():
    buffer = io.BytesIO()
    joblib.dump(_Planted(), buffer)
    return buffer.getvalue()


class TestWinModelWrites(WinWorld):
    """Managers read the trainings; only the training writes them."""

    @classmethod
    def setUpClass(cls):
        super(TestWinModelWrites, cls).setUpClass()
        cls.close_history(80)
        cls.env["crm.cn.win.model"].action_train()
        cls.trained = cls.env["crm.cn.win.model"].search([], limit=1)

    def setUp(self):
        super(TestWinModelWrites, self).setUp()
        del PLANTED[:]
        LOADED.clear()

    def pipeline(self, record):
        return record.with_context(bin_size=False).model_file

    def test_manager_cannot_create_a_win_model(self):
        Model = self.env["crm.cn.win.model"]
        before = Model.search_count([])
        with self.assertRaises(AccessError) as refusal:
            Model.sudo(self.manager).create({
                "date": FUTURE, "model_file": base64.b64encode(planted_blob())})
        self.assertIn("by the training only", str(refusal.exception))
        self.assertEqual(Model.search_count([]), before)
        self.assertFalse(Model.search([("date", "=", FUTURE)]))
        self.assertFalse(self.env["ir.attachment"].search(
            [("res_model", "=", "crm.cn.win.model"), ("res_id", "not in", Model.search([]).ids)]))

    def test_manager_cannot_copy_a_win_model(self):
        Model = self.env["crm.cn.win.model"]
        before = Model.search_count([])
        with self.assertRaises(AccessError):
            self.trained.sudo(self.manager).copy({"date": FUTURE})
        self.assertEqual(Model.search_count([]), before)

    def test_manager_cannot_replace_the_fitted_pipeline(self):
        original = self.pipeline(self.trained)
        with self.assertRaises(AccessError):
            self.trained.sudo(self.manager).write({"model_file": base64.b64encode(planted_blob())})
        with self.assertRaises(AccessError):
            self.trained.sudo(self.manager).write({"date": FUTURE})
        self.trained.invalidate_cache()
        self.assertEqual(self.pipeline(self.trained), original)
        self.assertNotEqual(self.trained.date, FUTURE)

    def test_manager_cannot_replace_the_pipeline_attachment(self):
        attachment = self.env["ir.attachment"].search([
            ("res_model", "=", "crm.cn.win.model"), ("res_field", "=", "model_file"),
            ("res_id", "=", self.trained.id)])
        self.assertEqual(len(attachment), 1)
        original = self.pipeline(self.trained)
        with self.assertRaises(AccessError):
            attachment.sudo(self.manager).write({"datas": base64.b64encode(planted_blob())})
        self.trained.invalidate_cache()
        self.assertEqual(self.pipeline(self.trained), original)

    def test_manager_cannot_delete_a_win_model(self):
        with self.assertRaises(AccessError):
            self.trained.sudo(self.manager).unlink()
        self.assertTrue(self.trained.exists())

    def test_manager_trains_and_the_system_signs_the_training(self):
        self.env["crm.cn.win.model"].sudo(self.manager).action_train()
        record = self.env["crm.cn.win.model"].search([], limit=1)
        self.assertNotEqual(record, self.trained)
        self.assertEqual(record.user_id, self.manager)
        self.assertEqual(record.company_id, self.manager.company_id)
        self.assertFalse(record.fallback, record.message)
        key = self.env["crm.cn.win.model"]._cn_signing_key()
        self.assertTrue(win_model.verify(key, base64.b64decode(self.pipeline(record)),
                                         record.model_signature))
        with self.assertRaises(AccessError):
            record.sudo(self.manager).read(["model_signature"])

    def test_salesperson_cannot_train_nor_create(self):
        Model = self.env["crm.cn.win.model"]
        before = Model.search_count([])
        with self.assertRaises(AccessError):
            Model.sudo(self.salesperson).action_train()
        with self.assertRaises(AccessError):
            Model.sudo(self.salesperson).create({"date": FUTURE})
        self.assertEqual(Model.search_count([]), before)

    def test_tampered_pipeline_is_never_unpickled_and_scoring_uses_the_stage(self):
        self.env.cr.execute("""UPDATE ir_attachment SET store_fname = NULL, db_datas = %s
                                WHERE res_model = 'crm.cn.win.model' AND res_field = 'model_file'
                                  AND res_id = %s""",
                            [psycopg2.Binary(base64.b64encode(planted_blob())), self.trained.id])
        self.assertEqual(self.env.cr.rowcount, 1)
        self.env.cache.invalidate()
        LOADED.clear()   # as in another worker, or after a restart
        with self.assertLogs(LOGGER, "WARNING") as logged:
            lead = self.open_deal(self.referral)
        self.assertEqual(PLANTED, [])
        self.assertIn("win model %d:" % self.trained.id, "\n".join(logged.output))
        self.assertEqual(lead.cn_win_probability, self.qualified.probability)
        self.assertIn("is not signed by this database", lead.cn_win_factors)
        self.assertIn("Train the win model again", lead.cn_win_factors)
        other = self.open_deal(self.cold_call)   # refused once, not read again
        self.assertEqual(PLANTED, [])
        self.assertEqual(other.cn_win_probability, self.qualified.probability)

    def test_planted_unsigned_training_is_refused(self):
        """A training stored without a signature (as by an earlier version,
        or planted with a later date) is never loaded."""
        planted = self.env["crm.cn.win.model"].create({
            "date": FUTURE, "model_file": base64.b64encode(planted_blob())})
        self.assertEqual(self.env["crm.cn.win.model"]._cn_latest(), planted)
        with self.assertLogs(LOGGER, "WARNING"):
            lead = self.open_deal(self.referral)
        self.assertEqual(PLANTED, [])
        self.assertEqual(lead.cn_win_probability, self.qualified.probability)
        self.assertIn("is not signed by this database", lead.cn_win_factors)

    def test_training_signed_with_another_key_is_refused(self):
        good = base64.b64decode(self.pipeline(self.trained))
        other_key = win_model.derive_key("another database's secret", SIGNING_PURPOSE)
        copied = self.env["crm.cn.win.model"].create({
            "date": FUTURE, "model_file": base64.b64encode(good),
            "model_signature": win_model.sign(other_key, good)})
        with self.assertLogs(LOGGER, "WARNING"):
            lead = self.open_deal(self.referral)
        self.assertEqual(self.env["crm.cn.win.model"]._cn_latest(), copied)
        self.assertEqual(lead.cn_win_probability, self.qualified.probability)
        self.assertIn("is not signed by this database", lead.cn_win_factors)

    def test_signed_training_still_loads_and_scores(self):
        LOADED.clear()
        lead = self.open_deal(self.referral)
        self.assertIn((self.env.cr.dbname, self.trained.id), LOADED)
        self.assertGreater(lead.cn_win_probability, 70.0)
        self.assertNotIn("not signed", lead.cn_win_factors)


@at_install(False)
@post_install(True)
class TestWinModelXmlRpc(LifecycleHttpCase):

    def build_world(self):
        self.manager = create_user(self.env, "win_manager", ["base.group_user", GROUP_MANAGER])
        self.env["crm.cn.win.model"].action_train()   # little history: a training that fell back
        self.trained = self.env["crm.cn.win.model"].search([], limit=1)

    def execute(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, model, method, list(args), kwargs)

    def count(self):
        with self.server_cursor() as env:
            return env["crm.cn.win.model"].search_count([])

    def test_manager_cannot_create_a_win_model_over_xmlrpc(self):
        before = self.count()
        blob = base64.b64encode(planted_blob()).decode("ascii")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.manager, "crm.cn.win.model", "create",
                         {"date": FUTURE, "fallback": False, "model_file": blob})
        self.assertIn("by the training only", refusal.exception.faultString)
        self.assertEqual(self.count(), before)
        self.assertEqual(PLANTED, [])

    def test_manager_cannot_write_the_pipeline_over_xmlrpc(self):
        blob = base64.b64encode(planted_blob()).decode("ascii")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self.execute(self.manager, "crm.cn.win.model", "write", [self.trained.id],
                         {"date": FUTURE, "fallback": False, "model_file": blob})
        self.assertIn("by the training only", refusal.exception.faultString)
        with self.server_cursor():
            self.trained.invalidate_cache()
            self.assertNotEqual(self.trained.date, FUTURE)
            self.assertTrue(self.trained.fallback)
            self.assertFalse(self.trained.with_context(bin_size=False).model_file)

    def test_manager_reads_and_trains_over_xmlrpc(self):
        before = self.count()
        rows = self.execute(self.manager, "crm.cn.win.model", "search_read", [], ["date", "fallback"])
        self.assertIn(self.trained.id, [row["id"] for row in rows])
        self.execute(self.manager, "crm.cn.win.model", "action_train")
        self.assertEqual(self.count(), before + 1)
        with self.server_cursor() as env:
            self.assertEqual(env["crm.cn.win.model"].search([], limit=1).user_id, self.manager)
