"""The dealer's channel stock on the portal: its stock reports (form and
file upload), its estimated stock and the replenishment proposals to accept.

Every record is searched or checked as the logged-in user, so the record
rules decide what a dealer sees (a record it cannot read answers 404); only
then are they shown with sudo(), as Odoo's sale portal does, because portal
users cannot read products themselves."""
from odoo import fields
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

FORM_ROWS = 10


def readable_record(model, record_id):
    """The record as the current user, if the record rules let it read it, else None."""
    record = request.env[model].browse(record_id)
    try:
        record.check_access_rights("read")
        record.check_access_rule("read")
        record.exists().ensure_one()
    except (AccessError, MissingError, ValueError):
        return None
    return record


class ChannelStockPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(ChannelStockPortal, self)._prepare_portal_layout_values()
        values.update({
            "cn_stock_report_count": request.env["crm.cn.channel.stock.report"].search_count([]),
            "cn_proposal_count": request.env["sale.order"].search_count(self._cn_proposal_domain()),
        })
        return values

    def _cn_proposal_domain(self):
        return [("cn_drp_proposal", "=", True), ("state", "=", "draft")]

    @route(["/my/stock_reports", "/my/stock_reports/page/<int:page>"], type="http", auth="user",
           website=True)
    def portal_my_stock_reports(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Report = request.env["crm.cn.channel.stock.report"]
        pager = portal_pager(url="/my/stock_reports", total=Report.search_count([]), page=page,
                             step=self._items_per_page)
        values.update({
            "reports": Report.search([], limit=self._items_per_page, offset=pager["offset"]).sudo(),
            "pager": pager, "page_name": "cn_stock_report", "default_url": "/my/stock_reports",
        })
        return request.render("crm_cn_lifecycle.portal_my_stock_reports", values)

    @route(["/my/stock_reports/<int:report_id>"], type="http", auth="user", website=True)
    def portal_my_stock_report(self, report_id, **kw):
        report = readable_record("crm.cn.channel.stock.report", report_id)
        if report is None:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"report": report.sudo(), "page_name": "cn_stock_report"})
        return request.render("crm_cn_lifecycle.portal_my_stock_report", values)

    @route(["/my/stock_reports/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_new_stock_report(self, **post):
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "cn_stock_report", "rows": range(FORM_ROWS), "post": post,
                       "today": fields.Date.context_today(request.env.user)})
        if request.httprequest.method == "POST":
            Report = request.env["crm.cn.channel.stock.report"]
            dealer = request.env.user.commercial_partner_id
            upload = post.get("file")
            try:
                if upload and getattr(upload, "filename", None):
                    report_id = Report.submit_file(dealer.id, post.get("date"), upload.filename,
                                                   Report._read_upload(upload.stream))
                else:
                    report_id = Report.submit_report(dealer.id, post.get("date"), self._cn_form_lines(post))
            except (UserError, AccessError) as error:
                values["error"] = error.name
            else:
                return request.redirect("/my/stock_reports/%d" % report_id)
        return request.render("crm_cn_lifecycle.portal_new_stock_report", values)

    def _cn_form_lines(self, post):
        lines = []
        for index in range(FORM_ROWS):
            code = (post.get("product_code_%d" % index) or "").strip()
            on_hand, sold = post.get("on_hand_%d" % index, ""), post.get("sold_%d" % index, "")
            if code or on_hand.strip() or sold.strip():
                lines.append({"product_code": code, "on_hand": on_hand, "sold": sold})
        return lines

    @route(["/my/channel_stock"], type="http", auth="user", website=True)
    def portal_my_channel_stock(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"estimates": request.env["crm.cn.channel.stock.estimate"].search([]).sudo(),
                       "deliveries": self._cn_deliveries_to_receive(),
                       "received": kw.get("received") == "1", "page_name": "cn_channel_stock"})
        return request.render("crm_cn_lifecycle.portal_my_channel_stock", values)

    def _cn_delivery_domain(self):
        """Done deliveries to the user's own company: Odoo's portal rule on pickings
        only knows the contact itself, so the dealer is checked here before any sudo()."""
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.id),
                ("state", "=", "done"), ("location_dest_id.usage", "=", "customer")]

    def _cn_deliveries_to_receive(self):
        """The dealer's deliveries it has not confirmed yet, if it confirms receipts."""
        dealer = request.env.user.commercial_partner_id
        Picking = request.env["stock.picking"].sudo()
        if not dealer.cn_confirms_receipt:
            return Picking
        return Picking.search(self._cn_delivery_domain() + [("cn_received_date", "=", False)],
                              order="date_done desc, id desc")

    @route(["/my/deliveries/<int:picking_id>/receive"], type="http", auth="user", website=True,
           methods=["POST"])
    def portal_confirm_receipt(self, picking_id, **kw):
        """Confirm the receipt of one of the dealer's deliveries (a CSRF-checked POST).
        Sent again, it changes nothing: the first date stays, the page is the same."""
        picking = request.env["stock.picking"].sudo().search(
            self._cn_delivery_domain() + [("id", "=", picking_id)])
        if not picking:
            return request.not_found()
        if not picking.cn_received_date:
            picking.action_cn_confirm_receipt()
        return request.redirect("/my/channel_stock?received=1")

    @route(["/my/drp_proposals"], type="http", auth="user", website=True)
    def portal_my_proposals(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"proposals": request.env["sale.order"].search(self._cn_proposal_domain()).sudo(),
                       "page_name": "cn_proposal", "accepted": kw.get("accepted") == "1",
                       "error": kw.get("error")})
        return request.render("crm_cn_lifecycle.portal_my_proposals", values)

    @route(["/my/drp_proposals/<int:order_id>/accept"], type="http", auth="user", website=True,
           methods=["POST"])
    def portal_accept_proposal(self, order_id, **kw):
        """The dealer accepts its proposal (a CSRF-checked POST); accepting it again
        changes nothing and shows the same page."""
        order = readable_record("sale.order", order_id)
        if order is None or not order.cn_drp_proposal:
            return request.not_found()
        if order.state == "sent":
            # accepted already (a second click, a replayed request): nothing more to do
            return request.redirect("/my/drp_proposals?accepted=1")
        quantities = {key[len("qty_"):]: value for key, value in kw.items() if key.startswith("qty_")}
        try:
            order.cn_action_accept_proposal(quantities or None)
        except UserError as error:
            return self.portal_my_proposals(error=error.name)
        return request.redirect("/my/drp_proposals?accepted=1")
