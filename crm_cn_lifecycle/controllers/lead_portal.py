"""Forwarded leads on the dealer's portal (/my/leads).

A portal user has no access to crm.lead at all. It reads its own offers
(crm.cn.lead.forward, scoped to its company by a record rule), as itself;
only an offer it can read opens its lead, and then only through
`cn_lead_values()`, which reads the need always and the end customer's
contact details once the offer is accepted. Answers and updates are
CSRF-checked POSTs through the offer's methods, which check the dealer again
and accept only the fields a dealer may change."""
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

from .portal import readable_record

LIST_FIELDS = ["name", "cn_categ_id", "planned_revenue", "cn_region", "state_id", "city"]
MESSAGES = ("accepted", "declined", "updated")  # shown by the template in the user's language


class LeadPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(LeadPortal, self)._prepare_portal_layout_values()
        Offer = request.env["crm.cn.lead.forward"]
        values["cn_lead_count"] = Offer.search_count([]) if Offer.check_access_rights(
            "read", raise_exception=False) else 0
        return values

    @route(["/my/leads", "/my/leads/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_leads(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Offer = request.env["crm.cn.lead.forward"]
        if not Offer.check_access_rights("read", raise_exception=False):
            return request.not_found()
        pager = portal_pager(url="/my/leads", total=Offer.search_count([]), page=page,
                             step=self._items_per_page)
        offers = Offer.search([], limit=self._items_per_page, offset=pager["offset"])
        # the offers were read as the user: their leads' need (never contacts) may be shown
        leads = offers.sudo().mapped("lead_id").with_context(active_test=False)
        rows = {row["id"]: row for row in leads.read(LIST_FIELDS)}
        need = {offer.id: rows.get(offer.sudo().lead_id.id, {}) for offer in offers}
        values.update({"offers": offers, "need": need, "pager": pager, "page_name": "cn_leads",
                       "default_url": "/my/leads"})
        return request.render("crm_cn_lifecycle.portal_my_leads", values)

    @route(["/my/leads/<int:offer_id>"], type="http", auth="user", website=True)
    def portal_my_lead(self, offer_id, message=None, error=None, **kw):
        offer = readable_record("crm.cn.lead.forward", offer_id)
        if offer is None:
            return request.not_found()
        return self._cn_render_lead(offer, message=message if message in MESSAGES else None, error=error)

    def _cn_render_lead(self, offer, message=None, error=None):
        values = self._prepare_portal_layout_values()
        lead = offer.cn_lead_values()
        sudo_lead = offer.sudo().lead_id
        team = sudo_lead.team_id
        stages = request.env["crm.stage"].sudo().search(
            ["|", ("team_id", "=", False), ("team_id", "=", team.id)])
        values.update({
            "offer": offer, "lead": lead, "page_name": "cn_leads", "message": message, "error": error,
            "stages": stages, "lost_reasons": request.env["crm.lost.reason"].sudo().search([]),
            "can_work": offer.state == "accepted" and lead.get("active") and lead.get("probability", 0) < 100,
        })
        return request.render("crm_cn_lifecycle.portal_my_lead", values)

    def _cn_answer(self, offer_id, answer):
        offer = readable_record("crm.cn.lead.forward", offer_id)
        if offer is None:
            return request.not_found()
        try:
            answer(offer)
        except (UserError, AccessError) as exc:
            return self._cn_render_lead(offer, error=exc.name)
        return None

    @route(["/my/leads/<int:offer_id>/accept"], type="http", auth="user", website=True,
           methods=["POST"])
    def portal_accept_lead(self, offer_id, **kw):
        """Accept (a CSRF-checked POST); sent again, nothing changes."""
        return self._cn_answer(offer_id, lambda offer: offer.action_accept()) or request.redirect(
            "/my/leads/%d?message=accepted" % offer_id)

    @route(["/my/leads/<int:offer_id>/decline"], type="http", auth="user", website=True,
           methods=["POST"])
    def portal_decline_lead(self, offer_id, reason=None, **kw):
        return self._cn_answer(offer_id, lambda offer: offer.action_decline(reason)) or request.redirect(
            "/my/leads/%d?message=declined" % offer_id)

    @route(["/my/leads/<int:offer_id>/update"], type="http", auth="user", website=True,
           methods=["POST"])
    def portal_update_lead(self, offer_id, **post):
        """The dealer's work on an accepted lead: only the form's own fields are passed on."""
        values = {key: post[key] for key in ("stage_id", "planned_revenue", "date_deadline",
                                            "activity_date", "activity_summary", "note", "outcome",
                                            "lost_reason_id") if post.get(key)}
        if not values:
            return request.redirect("/my/leads/%d" % offer_id)
        return self._cn_answer(offer_id, lambda offer: offer.cn_dealer_update(values)) or request.redirect(
            "/my/leads/%d?message=updated" % offer_id)

