"""Portal doors that change something: closing a ticket, opening one with files,
accepting a proposal. Each is a POST with the CSRF token, refuses what it must
before anything is saved, and sent twice changes nothing the second time."""
import re

from odoo.tests import common
from odoo.tests.common import at_install, post_install

from .common import LifecycleHttpCase, create_dealer, create_product, portal_user_of

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class PortalDoorCase(LifecycleHttpCase):

    def build_world(self):
        env = self.env
        self.dealer = create_dealer(env, "Door Dealer", login="door_dealer")
        self.contact = portal_user_of(self.dealer).partner_id
        self.open_stage = env["helpdesk.ticket.stage"].search([("closed", "=", False)], limit=1)
        self.closing_stage = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        self.ticket = env["helpdesk.ticket"].create({
            "name": "Door jammed feeder", "description": "Paper jam", "partner_id": self.contact.id,
            "stage_id": self.open_stage.id})

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def login(self):
        self.authenticate("door_dealer", "door_dealer")

    def form_value(self, page, name):
        return re.search(r'name="%s" value="([^"]+)"' % name, self.url_open(page).text).group(1)

    def stage_of(self, ticket):
        with self.server_cursor():
            return ticket.stage_id


@at_install(False)
@post_install(True)
class TestTicketClose(PortalDoorCase):

    def close(self, ticket, csrf=True):
        data = {"ticket_id": ticket.id, "stage_id": self.closing_stage.id}
        if csrf:
            data["csrf_token"] = self.form_value("/new/ticket", "csrf_token")
        return self.opener.post(self.url("/ticket/close"), data=data)

    def test_closing_a_ticket_by_get_is_refused_and_changes_nothing(self):
        self.login()
        response = self.url_open("/ticket/close?ticket_id=%d&stage_id=%d" % (self.ticket.id, self.closing_stage.id))
        self.assertIn(response.status_code, (404, 405))
        self.assertEqual(self.stage_of(self.ticket), self.open_stage)

    def test_closing_without_the_csrf_token_is_refused(self):
        self.login()
        response = self.close(self.ticket, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.stage_of(self.ticket), self.open_stage)

    def test_ticket_page_closes_with_a_post_form_carrying_the_csrf_token(self):
        self.login()
        page = self.url_open("/my/ticket/%d" % self.ticket.id).text
        form = re.search(r'<form[^>]*action="/ticket/close"[^>]*>.*?</form>', page, re.S).group(0)
        self.assertIn('method="POST"', form)
        self.assertIn('name="csrf_token"', form)

    def test_dealer_closes_its_ticket_by_post_and_closing_again_is_harmless(self):
        self.login()
        response = self.close(self.ticket)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/ticket/%d" % self.ticket.id))
        with self.server_cursor():
            self.assertEqual(self.ticket.stage_id, self.closing_stage)
            closed_date = self.ticket.closed_date
            self.assertTrue(closed_date)
        again = self.close(self.ticket)
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.url.endswith("/my/ticket/%d" % self.ticket.id))
        with self.server_cursor():
            self.assertEqual((self.ticket.stage_id, self.ticket.closed_date), (self.closing_stage, closed_date))

    def test_ticket_of_another_company_is_not_found(self):
        with self.server_cursor() as env:
            other_company = env["res.company"].create({"name": "Door Other Company"})
            foreign = env["helpdesk.ticket"].create({
                "name": "Foreign ticket", "description": "x", "partner_id": self.contact.id,
                "company_id": other_company.id, "stage_id": self.open_stage.id})
            self.server_cr.commit()
        self.login()
        response = self.close(foreign)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.stage_of(foreign), self.open_stage)


@at_install(False)
@post_install(True)
class TestTicketFiles(PortalDoorCase):

    def submit(self, files, subject="Door fan hums", token=None):
        form = self.url_open("/new/ticket").text
        data = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
                "subject": subject, "description": "Hums at low speed",
                "cn_form_token": token or re.search(r'name="cn_form_token" value="([^"]+)"', form).group(1)}
        return self.opener.post(self.url("/submitted/ticket"), data=data,
                                files=[("attachment", item) for item in files])

    def tickets(self, subject="Door fan hums"):
        with self.server_cursor() as env:
            return env["helpdesk.ticket"].search([("name", "=", subject)])

    def attachments(self, ticket):
        with self.server_cursor() as env:
            return {a.datas_fname: (a.mimetype, a.id) for a in env["ir.attachment"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])}

    def test_html_and_svg_attachments_are_stored_and_served_as_plain_text(self):
        self.login()
        response = self.submit([("page.html", HTML, "text/html"), ("logo.svg", SVG, "image/svg+xml"),
                                ("notes.txt", b"plain notes", "text/plain")])
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.url.endswith("/my/ticket/%d" % ticket.id))
        stored = self.attachments(ticket)
        self.assertEqual({name: mimetype for name, (mimetype, _id) in stored.items()},
                         {"page.html": "text/plain", "logo.svg": "text/plain", "notes.txt": "text/plain"})
        for name in ("page.html", "logo.svg"):
            served = self.url_open("/web/content/%d" % stored[name][1])
            self.assertEqual(served.status_code, 200)
            self.assertTrue(served.headers["Content-Type"].startswith("text/plain"), served.headers)

    def test_too_many_attachments_are_refused_and_no_ticket_is_opened(self):
        with self.server_cursor() as env:
            env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_files", "2")
            self.server_cr.commit()
        self.login()
        response = self.submit([("a%d.txt" % index, b"note", "text/plain") for index in range(3)])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Attachments: a ticket may have at most 2 files, not 3.", response.text)
        self.assertFalse(self.tickets())

    def test_too_large_attachment_is_refused_and_no_ticket_is_opened(self):
        with self.server_cursor() as env:
            env["ir.config_parameter"].set_param("crm_cn_lifecycle.upload_max_bytes", "1000")
            self.server_cr.commit()
        self.login()
        response = self.submit([("small.txt", b"ok", "text/plain"), ("big.log", b"x" * 1001, "text/plain")])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Attachment big.log: The file is larger than the 1000 bytes an upload may have.",
                      response.text)
        self.assertFalse(self.tickets())
        with self.server_cursor() as env:
            self.assertFalse(env["ir.attachment"].search([("datas_fname", "in", ["small.txt", "big.log"])]))

    def test_the_same_form_sent_twice_opens_one_ticket(self):
        self.login()
        token = re.search(r'name="cn_form_token" value="([^"]+)"', self.url_open("/new/ticket").text).group(1)
        first = self.submit([("notes.txt", b"plain notes", "text/plain")], token=token)
        second = self.submit([("notes.txt", b"plain notes", "text/plain")], token=token)
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(first.url, second.url)
        self.assertTrue(second.url.endswith("/my/ticket/%d" % ticket.id))
        self.assertEqual(list(self.attachments(ticket)), ["notes.txt"])


@at_install(False)
@post_install(True)
class TestProposalAcceptTwice(PortalDoorCase):

    def build_world(self):
        super(TestProposalAcceptTwice, self).build_world()
        paper = create_product(self.env, "Door copy paper", default_code="DOOR-A4")
        self.proposal = self.env["sale.order"].create({
            "partner_id": self.dealer.id, "cn_drp_proposal": True, "order_line": [
                (0, 0, {"product_id": paper.id, "product_uom_qty": 24, "cn_proposed_qty": 24,
                        "cn_pack_multiple": 12})]})
        self.proposal.message_subscribe([self.dealer.id])

    def accept(self):
        token = self.form_value("/new/ticket", "csrf_token")
        return self.opener.post(self.url("/my/drp_proposals/%d/accept" % self.proposal.id),
                                data={"csrf_token": token})

    def test_accepting_a_proposal_twice_redirects_and_changes_nothing_more(self):
        self.login()
        first = self.accept()
        self.assertTrue(first.url.endswith("/my/drp_proposals?accepted=1"))
        with self.server_cursor():
            self.assertEqual(self.proposal.state, "sent")
            messages = len(self.proposal.message_ids)
        second = self.accept()
        self.assertEqual(second.status_code, 200)
        self.assertTrue(second.url.endswith("/my/drp_proposals?accepted=1"))
        with self.server_cursor():
            self.assertEqual((self.proposal.state, len(self.proposal.message_ids)), ("sent", messages))
