"""Service tickets on the portal, by company: a dealer's contacts list and open
the tickets of their own company (the commercial partner) and its contacts,
never another dealer's, and open new tickets for a product their company
bought, with its serial number checked.

OCA helpdesk_mgmt 11.0 lists the logged-in contact's tickets only, answers a
forbidden ticket with a redirect, lets any user move any ticket to any stage
(/ticket/close reads it with sudo()) and files new tickets under whichever
partner has the typed name and email. These routes replace them: records are
searched or checked as the logged-in user, so the record rules decide, and only
then shown or changed with sudo()."""
import uuid

import werkzeug
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.http import request, route

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortal as HelpdeskCustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.osv.expression import AND, OR

from .portal import readable_record


class HelpdeskPortal(HelpdeskCustomerPortal):

    def _cn_ticket_domain(self):
        """The tickets of the logged-in contact's company and all its contacts."""
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.id)]

    def _prepare_portal_layout_values(self):
        values = super(HelpdeskPortal, self)._prepare_portal_layout_values()
        values["ticket_count"] = request.env["helpdesk.ticket"].search_count(self._cn_ticket_domain())
        return values

    def _cn_ticket_search_domain(self, search, search_in, searchbar_inputs):
        """helpdesk_mgmt's text search, as a domain."""
        if not search or not search_in:
            return []
        if search_in == "content":
            domain = ["|", ("name", "ilike", search), ("description", "ilike", search)]
            if "message_content" in searchbar_inputs:
                domain = OR([domain, [("message_content", "ilike", search)]])
            return domain
        return OR([[(field, "ilike", search)] for field, spec in searchbar_inputs.items()
                   if search_in in (spec["input"], "all") and field not in ("content", "all")] or [[]])

    @route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_tickets(self, page=1, date_begin=None, date_end=None, sortby=None, filterby=None,
                          search=None, search_in="all", **kw):
        """helpdesk_mgmt's list, with its search bar, on the company's tickets."""
        response = super(HelpdeskPortal, self).portal_my_tickets(
            page=page, date_begin=date_begin, date_end=date_end, sortby=sortby, filterby=filterby,
            search=search, search_in=search_in, **kw)
        values = response.qcontext
        domain = AND([self._cn_ticket_domain(),
                      self._cn_ticket_search_domain(search, search_in, values["searchbar_inputs"]),
                      values["searchbar_filters"][values["filterby"]]["domain"]])
        Ticket = request.env["helpdesk.ticket"]
        pager = portal_pager(url="/my/tickets", url_args={"sortby": sortby, "filterby": filterby,
                                                          "search": search, "search_in": search_in},
                             total=Ticket.search_count(domain), page=page, step=self._items_per_page)
        values.update({
            "tickets": Ticket.search(domain, order=values["searchbar_sortings"][values["sortby"]]["order"],
                                     limit=self._items_per_page, offset=pager["offset"]),
            "pager": pager,
        })
        return response

    @route(["/my/ticket/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_my_ticket(self, ticket_id=None, **kw):
        """A ticket the user may not read answers 404, like one that does not exist."""
        ticket = readable_record("helpdesk.ticket", ticket_id)
        if ticket is None:
            return request.not_found()
        values = self._ticket_get_page_view_values(ticket.sudo(), **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)


class HelpdeskTicketPortal(HelpdeskTicketController):

    @route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        """Close a ticket the user may read, into one of the closing stages only.
        A POST with the form's CSRF token; a ticket already closed is left as it is."""
        ticket = readable_record("helpdesk.ticket", _to_int(kw.get("ticket_id")))
        stage = request.env["helpdesk.ticket.stage"].search(
            [("id", "=", _to_int(kw.get("stage_id"))), ("closed", "=", True)])
        if ticket is None or not stage:
            return request.not_found()
        if not ticket.stage_id.closed:
            ticket.sudo().stage_id = stage
        return werkzeug.utils.redirect("/my/ticket/%d" % ticket.id)

    def _cn_new_ticket_values(self, post=None, error=None):
        user = request.env.user
        Ticket = request.env["helpdesk.ticket"]
        post = post or {}
        return {
            "categories": request.env["helpdesk.ticket.category"].search([("active", "=", True)]),
            "email": user.email, "name": user.name,
            "cn_products": Ticket._cn_products_sold_to(user.commercial_partner_id).sudo(),
            "cn_post": post, "cn_error": error,
            # one token per form: the same form sent twice opens one ticket
            "cn_form_token": post.get("cn_form_token") or uuid.uuid4().hex,
        }

    @route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, **kw):
        return request.render("helpdesk_mgmt.portal_create_ticket", self._cn_new_ticket_values())

    @route("/submitted/ticket", type="http", auth="user", website=True, methods=["POST"])
    def submit_ticket(self, **kw):
        """Open the ticket for the logged-in contact once the whole form, files included,
        is valid; the same form sent again leads to the ticket it opened."""
        Ticket = request.env["helpdesk.ticket"]
        partner = request.env.user.partner_id
        token = (kw.get("cn_form_token") or "")[:64] or False
        # the token is the system's field: looked up for the logged-in contact only
        done = token and Ticket.sudo().search(
            [("cn_portal_token", "=", token), ("partner_id", "=", partner.id)], limit=1)
        if done:
            return request.redirect("/my/ticket/%d" % done.id)
        try:
            values = Ticket._cn_portal_ticket_values(partner, kw)
            files = Ticket._cn_read_portal_files(request.httprequest.files.getlist("attachment"))
        except UserError as error:
            return request.render("helpdesk_mgmt.portal_create_ticket",
                                  self._cn_new_ticket_values(kw, error.name))
        values["cn_portal_token"] = token
        try:
            with request.env.cr.savepoint():
                # portal users read tickets but may not create them: the checked values are written as the system
                ticket = Ticket.sudo().create(values)
        except IntegrityError:
            # the same form, sent twice at once: the other request opened the ticket
            return request.redirect("/my/tickets")
        ticket.message_subscribe(partner_ids=partner.ids)
        ticket._cn_attach_portal_files(files)
        return request.redirect("/my/ticket/%d" % ticket.id)


def _to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
