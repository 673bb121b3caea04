"""Importing a campaign's respondents: leads created or linked, nothing saved
from a file with a bad row."""
import base64
import io
import zipfile

from odoo.exceptions import AccessError, UserError

from .common import LifecycleCase, create_campaign, create_customer, create_territory

HEADER = "公司名称,联系人,手机,邮箱,省份,城市,意向产品,备注\n"


def csv_file(rows, encoding="gbk"):
    return base64.b64encode((HEADER + "".join(row + "\n" for row in rows)).encode(encoding))


class TestResponseImport(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        super(TestResponseImport, cls).setUpClass()
        cls.campaign = create_campaign(cls.env)
        cls.medium = cls.env["utm.medium"].create({"name": "Trade show"})
        cls.source = cls.env["utm.source"].create({"name": "Booth A12"})

    def run_import(self, rows, encoding="gbk", filename="expo.csv", user=None):
        wizard = self.env["crm.cn.response.import"].sudo(user or self.manager).create({
            "campaign_id": self.campaign.id, "medium_id": self.medium.id,
            "source_id": self.source.id, "date": "2026-04-15",
            "file": csv_file(rows, encoding), "filename": filename})
        wizard.action_import()
        return wizard

    def campaign_leads(self):
        return self.env["crm.lead"].search([("campaign_id", "=", self.campaign.id)])

    def test_gbk_file_from_chinese_excel_becomes_leads(self):
        wizard = self.run_import([
            "广州越秀文具有限公司,李明,13800138000,liming@yuexiu.cn,广东省,广州,办公文具,展位A12",
            "杭州西湖律师事务所,赵敏,13900001111,zm@xihulaw.cn,浙江,杭州,打印耗材,",
        ])
        self.assertEqual((wizard.created_count, wizard.linked_count, wizard.rejected_count), (2, 0, 0))
        lead = self.campaign_leads().filtered(lambda lead: lead.contact_name == "李明")
        self.assertEqual(lead.partner_name, "广州越秀文具有限公司")
        self.assertEqual(lead.state_id, self.env.ref("l10n_cn.state_GD"))
        self.assertEqual((lead.medium_id, lead.source_id), (self.medium, self.source))
        self.assertEqual(lead.type, "lead")
        self.assertIn("办公文具", lead.description)
        self.assertEqual(self.campaign.cn_response_count, 2)

    def test_a_bad_row_saves_nothing_and_every_bad_row_is_listed(self):
        rows = [
            "好公司,王五,13800138000,ok@ok.cn,广东,广州,,",
            ",,13800138001,,,,,",                                # row 3: no name
            "坏邮箱公司,张三,13800138002,not-mail,广东,广州,,",      # row 4: e-mail
            "火星公司,李四,13800138003,m@mars.cn,火星省,,,",         # row 5: province
            "好公司,王五,13800138000,ok@ok.cn,广东,广州,,",          # row 6: duplicate of row 2
        ]
        with self.assertRaises(UserError) as refusal:
            self.run_import(rows)
        message = refusal.exception.name
        for expected in ("Row 3:", "Row 4: malformed e-mail 'not-mail'",
                         "Row 5: unknown province '火星省'", "Row 6: same person as row 2"):
            self.assertIn(expected, message)
        self.assertNotIn("Row 2:", message)
        self.assertFalse(self.campaign_leads())
        self.assertFalse(self.campaign.cn_response_ids)

    def test_known_customer_is_linked_not_duplicated(self):
        company = create_customer(self.env, "广州越秀文具", phone="020-8888 1234")
        contact = self.env["res.partner"].create(
            {"name": "李明", "parent_id": company.id, "email": "LiMing@yuexiu.cn"})
        wizard = self.run_import([
            "广州越秀文具有限公司,李明,13800138000,liming@yuexiu.cn,广东,广州,,",   # e-mail of the contact
            "广州越秀文具有限公司,陈红,13700000000,ch@yuexiu.cn,广东,广州,,",       # company name, legal suffix
        ])
        self.assertEqual((wizard.created_count, wizard.linked_count), (0, 2))
        leads = self.campaign_leads()
        self.assertEqual(leads.mapped("partner_id"), contact | company)
        self.assertEqual(self.env["res.partner"].search_count([("name", "ilike", "越秀文具")]), 1)
        self.assertEqual(company.cn_first_campaign_id, self.campaign)
        self.assertEqual(company.cn_last_campaign_id, self.campaign)

    def test_open_lead_with_same_mobile_is_linked(self):
        lead = self.env["crm.lead"].create(
            {"name": "Earlier enquiry", "type": "lead", "mobile": "+86 138 0013 8000"})
        wizard = self.run_import(["新公司,李明,13800138000,,广东,广州,,"])
        self.assertEqual((wizard.created_count, wizard.linked_count), (0, 1))
        self.assertEqual(self.campaign.cn_response_ids.lead_id, lead)
        self.assertEqual(self.campaign.cn_response_ids.match, "lead")

    def test_importing_the_same_file_twice_records_nothing_new(self):
        rows = ["广州越秀文具有限公司,李明,13800138000,liming@yuexiu.cn,广东,广州,,"]
        self.run_import(rows)
        second = self.run_import(rows)
        self.assertEqual((second.created_count, second.linked_count, second.rejected_count), (0, 0, 1))
        self.assertEqual(len(self.campaign_leads()), 1)
        self.assertEqual(self.campaign.cn_response_count, 1)

    def test_first_and_last_touch_follow_the_response_dates(self):
        customer = create_customer(self.env, "Shanghai Pudong Software Park", email="info@pdsp.com")
        seminar = create_campaign(self.env, "East China Seminar")
        for campaign, date in ((seminar, "2026-06-01"), (self.campaign, "2026-03-01")):
            self.env["crm.cn.campaign.response"].create(
                {"campaign_id": campaign.id, "date": date, "matched_partner_id": customer.id})
        self.assertEqual(customer.cn_first_campaign_id, self.campaign)
        self.assertEqual(customer.cn_last_campaign_id, seminar)
        self.assertEqual(customer.cn_last_response_date, "2026-06-01")

    def test_utf8_with_bom_and_english_headers(self):
        data = "\ufeffCompany,Contact,E-mail,Province\n\"Acme Co., Ltd.\",Bob,bob@acme.com,Guangdong\n"
        wizard = self.env["crm.cn.response.import"].sudo(self.manager).create({
            "campaign_id": self.campaign.id, "file": base64.b64encode(data.encode("utf-8")),
            "filename": "list.csv"})
        wizard.action_import()
        self.assertEqual(self.campaign_leads().partner_name, "Acme Co., Ltd.")

    def test_file_over_the_size_limit_is_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_cn_lifecycle.upload_max_bytes", "50")
        with self.assertRaises(UserError) as refusal:
            self.run_import(["广州越秀文具有限公司,李明,13800138000,liming@yuexiu.cn,广东,广州,,"])
        self.assertEqual(refusal.exception.name, "The file is larger than the 50 bytes an upload may have.")
        self.assertFalse(self.campaign_leads())

    def test_xlsx_unpacking_past_the_limit_is_refused(self):
        """A zip bomb: 30 MB of sheet compressed to a few KB, over 20 times a 1 MB upload limit."""
        self.env["ir.config_parameter"].sudo().set_param("crm_cn_lifecycle.upload_max_bytes", str(1024 * 1024))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
            with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
                for _block in range(30):
                    sheet.write(b"<c/>" * 262144)
        wizard = self.env["crm.cn.response.import"].sudo(self.manager).create({
            "campaign_id": self.campaign.id, "file": base64.b64encode(buffer.getvalue()),
            "filename": "expo.xlsx"})
        with self.assertRaises(UserError) as refusal:
            wizard.action_import()
        self.assertIn("The XLSX file unpacks to more than 20971520 bytes", refusal.exception.name)
        self.assertFalse(self.campaign_leads())

    def test_salesperson_cannot_import(self):
        with self.assertRaises(AccessError):
            self.run_import(["好公司,王五,13800138000,ok@ok.cn,广东,广州,,"], user=self.salesperson)

    def test_imported_lead_stores_what_the_orm_computes(self):
        """The bulk import sets stored computed fields in SQL: they must equal
        those of a lead created through the ORM with the same values."""
        territory = create_territory(self.env)
        company = create_customer(self.env, "广州越秀文具", customer_class="dealer",
                                  cn_territory_id=territory.id)
        wizard = self.env["crm.cn.response.import"].sudo(self.manager).create({
            "campaign_id": self.campaign.id, "medium_id": self.medium.id, "user_id": self.salesperson.id,
            "file": csv_file(["广州越秀文具有限公司,陈红,13700000000,ch@yuexiu.cn,广东,广州,,"]),
            "filename": "expo.csv"})
        wizard.action_import()
        imported = self.campaign_leads()
        self.assertEqual((imported.partner_id, imported.cn_customer_class, imported.cn_territory_id),
                         (company, "dealer", territory))
        Lead = self.env["crm.lead"]
        copied = [name for name, field in Lead._fields.items()
                  if field.store and field.column_type and not field.compute
                  and name not in ("id", "create_date", "write_date", "create_uid", "write_uid",
                                   "date_open", "date_last_stage_update", "message_last_post")]
        created = Lead.create({name: value for name, value in imported.read(copied, load="_classic_write")[0].items()
                               if name != "id"})
        computed = sorted(name for name, field in Lead._fields.items() if field.store and field.compute)
        self.assertIn("cn_region", computed)
        self.assertIn("day_open", computed)
        Lead.invalidate_cache()
        ours, orm = (lead.read(computed, load="_classic_write")[0] for lead in (imported, created))
        self.assertEqual(ours, dict(orm, id=imported.id))
        response = self.campaign.cn_response_ids
        self.assertEqual((response.partner_id, response.commercial_partner_id), (company, company))
        self.assertEqual(company.cn_last_campaign_id, self.campaign)

    def test_open_lead_with_same_company_is_linked(self):
        lead = self.env["crm.lead"].create(
            {"name": "Stand visit", "type": "lead", "partner_name": "广州越秀文具 有限公司"})
        self.env["crm.lead"].create({"name": "Other", "type": "lead", "partner_name": "广州越秀文化传媒"})
        wizard = self.run_import(["广州越秀文具,李明,13800138000,,广东,广州,,"])
        self.assertEqual((wizard.created_count, wizard.linked_count), (0, 1))
        self.assertEqual(self.campaign.cn_response_ids.lead_id, lead)

    def test_backslashes_tabs_and_line_breaks_are_kept(self):
        self.run_import(['好公司,王五,13800138000,ok@ok.cn,广东,广州,,"booth\\A12\tleft\nnear door"'])
        self.assertEqual(self.campaign_leads().description, "booth\\A12\tleft\nnear door")
        self.assertEqual(self.campaign.cn_response_ids.note, "booth\\A12\tleft\nnear door")

    def test_import_sets_first_and_last_touch_of_every_linked_customer(self):
        seminar = create_campaign(self.env, "East China Seminar")
        returning = create_customer(self.env, "杭州西湖办公", email="buy@xihu.cn")
        new_to_campaigns = create_customer(self.env, "南京紫金文具", email="buy@zijin.cn")
        absent = create_customer(self.env, "苏州园林纸业", email="buy@yuanlin.cn")
        for customer in (returning, absent):
            self.env["crm.cn.campaign.response"].create(
                {"campaign_id": seminar.id, "date": "2026-01-10", "matched_partner_id": customer.id})
        wizard = self.run_import([
            "杭州西湖办公,王芳,13900000001,buy@xihu.cn,浙江,杭州,,",
            "南京紫金文具,赵强,13900000002,buy@zijin.cn,江苏,南京,,",
        ])
        self.assertEqual(wizard.linked_count, 2)
        touches = lambda partner: (partner.cn_first_campaign_id, partner.cn_last_campaign_id,  # noqa: E731
                                   partner.cn_last_response_date)
        self.assertEqual(touches(returning), (seminar, self.campaign, "2026-04-15"))
        self.assertEqual(touches(new_to_campaigns), (self.campaign, self.campaign, "2026-04-15"))
        self.assertEqual(touches(absent), (seminar, seminar, "2026-01-10"))
        # what the import stored is what the ORM computes from the responses
        stored = [touches(partner) for partner in returning | new_to_campaigns]
        (returning | new_to_campaigns)._compute_cn_campaign_touches()
        self.assertEqual([touches(partner) for partner in returning | new_to_campaigns], stored)
