"""The dealer's deal registrations on the portal: its list, one registration,
and the form to register a new deal.

Registrations are searched and checked as the logged-in user, so the record
rules decide what a dealer sees (another dealer's registration answers 404);
the form is a CSRF-checked POST carrying a token, so sending it again makes
no second registration."""
import uuid

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

from .portal import readable_record

FORM_ROWS = 5
FIELDS = ("customer_name", "customer_name_en", "contact_name", "phone", "email", "state_id", "city",
          "date_expected", "amount_expected")


class DealRegistrationPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(DealRegistrationPortal, self)._prepare_portal_layout_values()
        Registration = request.env["crm.cn.deal.registration"]
        values["cn_registration_count"] = Registration.search_count([]) \
            if Registration.check_access_rights("read", raise_exception=False) else 0
        values["cn_is_dealer"] = request.env.user.commercial_partner_id.cn_is_dealer
        return values

    @route(["/my/registrations", "/my/registrations/page/<int:page>"], type="http", auth="user",
           website=True)
    def portal_my_registrations(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Registration = request.env["crm.cn.deal.registration"]
        pager = portal_pager(url="/my/registrations", total=Registration.search_count([]), page=page,
                             step=self._items_per_page)
        values.update({
            "registrations": Registration.search([], limit=self._items_per_page, offset=pager["offset"]),
            "pager": pager, "page_name": "cn_registration", "default_url": "/my/registrations",
        })
        return request.render("crm_cn_lifecycle.portal_my_registrations", values)

    @route(["/my/registrations/<int:registration_id>"], type="http", auth="user", website=True)
    def portal_my_registration(self, registration_id, **kw):
        registration = readable_record("crm.cn.deal.registration", registration_id)
        if registration is None:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"registration": registration.sudo(),
                       "page_name": "cn_registration", "message": kw.get("message")})
        return request.render("crm_cn_lifecycle.portal_my_registration", values)

    @route(["/my/registrations/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_new_registration(self, **post):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "cn_registration", "rows": range(FORM_ROWS), "post": post,
            "token": post.get("token") or uuid.uuid4().hex,
            "provinces": request.env["res.country.state"].sudo().search(
                [("country_id.code", "=", "CN")], order="name"),
            "today": fields.Date.context_today(request.env.user),
        })
        if request.httprequest.method == "POST":
            Registration = request.env["crm.cn.deal.registration"]
            try:
                result = Registration.register_deal({name: post.get(name) for name in FIELDS},
                                                    self._cn_registration_lines(post), token=post.get("token"))
            except (UserError, AccessError) as error:
                values["error"] = error.name
            else:
                return request.redirect("/my/registrations/%d" % result["id"])
        return request.render("crm_cn_lifecycle.portal_new_registration", values)

    def _cn_registration_lines(self, post):
        lines = []
        for index in range(FORM_ROWS):
            code = (post.get("product_code_%d" % index) or "").strip()
            quantity = (post.get("quantity_%d" % index) or "").strip()
            if code or quantity:
                lines.append({"product_code": code, "quantity": quantity})
        return lines
