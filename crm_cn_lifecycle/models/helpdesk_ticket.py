import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.upload import UploadTooLarge, read_limited
from ..tools.warranty import NO_WARRANTY, OUT_OF_WARRANTY, warranty_end, warranty_state

def _to_id(value):
    """A record id typed into a form, or 0."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


WARRANTY_STATES = [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")]


class HelpdeskTicket(models.Model):
    """Service tickets tied to what was sold: order, product, serial, and its warranty."""
    _inherit = "helpdesk.ticket"

    cn_sale_order_id = fields.Many2one("sale.order", string="Sales Order", index=True)
    cn_picking_id = fields.Many2one("stock.picking", string="Delivery", index=True)
    cn_product_id = fields.Many2one("product.product", string="Product", index=True)
    cn_lot_id = fields.Many2one("stock.production.lot", string="Serial Number", index=True)
    cn_is_installation = fields.Boolean(string="Installation", readonly=True)
    cn_planned_date = fields.Date(string="Planned Date")
    cn_delivery_date = fields.Date(string="Delivered On", compute="_compute_cn_warranty")
    cn_warranty_end = fields.Date(string="Warranty End", compute="_compute_cn_warranty")
    cn_warranty_state = fields.Selection(WARRANTY_STATES, string="Warranty",
                                         compute="_compute_cn_warranty")
    cn_quotation_id = fields.Many2one("sale.order", string="Quotation", readonly=True, copy=False)
    cn_service_cost = fields.Float(
        string="Service Cost", digits=0, copy=False,
        help="Parts and labour the service spent on this ticket, in the company currency; "
             "in warranty, the company bears it.")
    cn_portal_token = fields.Char(
        string="Portal Form", copy=False, readonly=True, groups="base.group_system",
        help="The token of the portal form that opened this ticket: the same form sent again "
             "opens no second ticket.")

    _sql_constraints = [
        ("cn_portal_token_unique", "unique(cn_portal_token)", "This portal form already opened a ticket."),
    ]

    @api.onchange("cn_lot_id")
    def _onchange_cn_lot_id(self):
        if self.cn_lot_id:
            self.cn_product_id = self.cn_lot_id.product_id

    @api.multi
    def _cn_delivery_dates(self):
        """{ticket id: delivery date string} from the serial's delivery to the customer,
        else from the order's done deliveries of the product."""
        lots = self.mapped("cn_lot_id")
        lot_deliveries = lots.sudo()._cn_customer_deliveries()
        orders = self.filtered(lambda ticket: not ticket.cn_lot_id).mapped("cn_sale_order_id")
        order_dates = {}
        if orders:
            moves = self.env["stock.move"].sudo().search([
                ("sale_line_id.order_id", "in", orders.ids), ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer")], order="date")
            for move in moves:
                order_dates.setdefault((move.sale_line_id.order_id.id, move.product_id.id), move.date)
        dates = {}
        for ticket in self:
            commercial = ticket.partner_id.commercial_partner_id.id
            if ticket.cn_lot_id:
                dates[ticket.id] = next((date for partner_id, date in lot_deliveries.get(ticket.cn_lot_id.id, [])
                                         if partner_id == commercial), False)
            else:
                date = order_dates.get((ticket.cn_sale_order_id.id, ticket.cn_product_id.id))
                dates[ticket.id] = date and date[:10]
        return dates

    @api.multi
    @api.depends("cn_lot_id", "cn_product_id", "cn_sale_order_id", "partner_id")
    def _compute_cn_warranty(self):
        dates = self._cn_delivery_dates()
        today = fields.Date.from_string(fields.Date.context_today(self))
        for ticket in self:
            date = dates.get(ticket.id)
            product = ticket.cn_product_id or ticket.cn_lot_id.product_id
            months = product.product_tmpl_id._cn_get_warranty_months() if product else 0
            end = warranty_end(fields.Date.from_string(date) if date else None, months)
            ticket.cn_delivery_date = date or False
            ticket.cn_warranty_end = fields.Date.to_string(end) if end else False
            ticket.cn_warranty_state = warranty_state(end, today) if product else NO_WARRANTY

    @api.multi
    @api.constrains("cn_lot_id", "cn_product_id", "cn_sale_order_id", "partner_id")
    def _check_cn_sold_to_customer(self):
        """A ticket names only an order, product or serial that went to its customer."""
        tickets = self.filtered(lambda t: t.cn_lot_id or t.cn_product_id or t.cn_sale_order_id)
        if not tickets:
            return
        lot_deliveries = tickets.mapped("cn_lot_id").sudo()._cn_customer_deliveries()
        for ticket in tickets:
            commercial = ticket.partner_id.commercial_partner_id
            if not commercial:
                raise ValidationError(_("Ticket %s: choose the customer before the order, product "
                                        "or serial number.") % ticket.number)
            order = ticket.cn_sale_order_id.sudo()
            if order and order.partner_id.commercial_partner_id != commercial:
                raise ValidationError(_("Ticket %(ticket)s: order %(order)s was not placed by %(customer)s.") % {
                    "ticket": ticket.number, "order": order.name, "customer": commercial.display_name})
            lot = ticket.cn_lot_id.sudo()
            if lot:
                if ticket.cn_product_id and lot.product_id != ticket.cn_product_id:
                    raise ValidationError(_("Ticket %(ticket)s: serial number %(serial)s is not a %(product)s.") % {
                        "ticket": ticket.number, "serial": lot.name,
                        "product": ticket.cn_product_id.display_name})
                if commercial.id not in [partner_id for partner_id, _date in lot_deliveries.get(lot.id, [])]:
                    raise ValidationError(_("Ticket %(ticket)s: serial number %(serial)s was never delivered to %(customer)s.") % {
                        "ticket": ticket.number, "serial": lot.name, "customer": commercial.display_name})
            product = ticket.cn_product_id or lot.product_id
            if product and not self.env["sale.order.line"].sudo().search_count([
                    ("product_id", "=", product.id), ("state", "in", ("sale", "done")),
                    ("order_id.partner_id", "child_of", commercial.id)]):
                raise ValidationError(_("Ticket %(ticket)s: %(product)s was never sold to %(customer)s.") % {
                    "ticket": ticket.number, "product": product.display_name,
                    "customer": commercial.display_name})

    @api.model
    def create(self, vals):
        ticket = super(HelpdeskTicket, self).create(vals)
        if ticket.partner_id and (ticket.cn_sale_order_id or ticket.cn_picking_id or ticket.cn_lot_id):
            # the customer follows its own after-sales ticket, which shows it on its portal
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        return ticket

    @api.model
    def _cn_products_sold_to(self, commercial):
        """The stockable or consumable products confirmed orders sold to `commercial`
        (a company and its contacts): one grouped query."""
        groups = self.env["sale.order.line"].sudo().read_group(
            [("order_id.partner_id", "child_of", commercial.id), ("state", "in", ("sale", "done")),
             ("product_id.type", "!=", "service")], ["product_id"], ["product_id"])
        return self.env["product.product"].browse([group["product_id"][0] for group in groups])

    @api.model
    def _cn_portal_ticket_values(self, partner, post):
        """Values of the ticket a portal contact opens for a product its company bought.

        Checks the whole form first (subject, category, product sold to the company,
        serial delivered to it) and raises a UserError naming the field; writes nothing.
        The same message answers an unknown serial and another customer's serial."""
        commercial = partner.commercial_partner_id
        subject = (post.get("subject") or "").strip()
        if not subject:
            raise UserError(_("Subject: say what the ticket is about."))
        category = self.env["helpdesk.ticket.category"]
        if post.get("category"):
            category = category.search([("id", "=", _to_id(post["category"])), ("active", "=", True)])
            if not category:
                raise UserError(_("Category: choose one of the listed categories."))
        product = self.env["product.product"]
        if post.get("product_id"):
            # portal users may not read products: these were sold to their company
            product = self._cn_products_sold_to(commercial).filtered(
                lambda sold: sold.id == _to_id(post["product_id"]))
            if not product:
                raise UserError(_("Product: choose one of the products %s bought.") % commercial.name)
        serial = (post.get("serial") or "").strip()
        lot = self.env["stock.production.lot"]
        if serial:
            if not product:
                raise UserError(_("Serial number %s: choose the product it belongs to.") % serial)
            lots = lot.sudo().search([("name", "=", serial), ("product_id", "=", product.id)])
            deliveries = lots._cn_customer_deliveries()
            lot = lots.filtered(lambda candidate: commercial.id in [
                partner_id for partner_id, _date in deliveries.get(candidate.id, [])])[:1]
            if not lot:
                raise UserError(_("Serial number %(serial)s: no %(product)s with this serial number was delivered "
                                  "to %(customer)s.") % {
                    "serial": serial, "product": product.sudo().display_name, "customer": commercial.name})
        order = self.env["sale.order"]
        if product:
            order = self.env["sale.order.line"].sudo().search([
                ("product_id", "=", product.id), ("state", "in", ("sale", "done")),
                ("order_id.partner_id", "child_of", commercial.id)], order="id desc", limit=1).order_id
        return {
            "name": subject,
            "description": post.get("description") or False,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "company_id": self.env.user.company_id.id,
            "category_id": category.id,
            "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
            "cn_product_id": product.id,
            "cn_lot_id": lot.id,
            "cn_sale_order_id": order.id,
        }

    @api.model
    def _cn_read_portal_files(self, uploads):
        """[(file name, bytes)] of the files uploaded with a portal ticket, each read with
        the upload byte cap; a UserError, before anything is created, when there are more
        files than a ticket may have or one is too large."""
        uploads = [upload for upload in uploads if upload.filename]
        limits = self.env["crm.cn.file.check"]._upload_limits()
        if len(uploads) > limits["max_files"]:
            raise UserError(_("Attachments: a ticket may have at most %(max)s files, not %(count)s.")
                            % {"max": limits["max_files"], "count": len(uploads)})
        files = []
        for upload in uploads:
            try:
                files.append((upload.filename, read_limited(upload.stream, limits["max_bytes"])))
            except UploadTooLarge as error:
                problem = self.env["crm.cn.file.check"]._problem_messages()["too_large"] % error.limit
                raise UserError(_("Attachment %(name)s: %(problem)s")
                                % {"name": upload.filename, "problem": problem})
        return files

    @api.multi
    def _cn_attach_portal_files(self, files):
        """Attach [(file name, bytes)] from the portal to this ticket. Written by the
        system, but with Odoo's own content check as for a portal user: HTML, SVG and
        other XML-like files are stored (and served) as plain text."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo().with_context(attachments_mime_plainxml=True)
        for name, data in files:
            Attachment.create({"name": name, "datas_fname": name, "datas": base64.b64encode(data),
                               "res_model": self._name, "res_id": self.id})

    @api.multi
    def _cn_prepare_quotation(self):
        self.ensure_one()
        product = self.cn_product_id or self.cn_lot_id.product_id
        previous = self.cn_sale_order_id
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "origin": self.number,
            "cn_service_ticket_id": self.id,
            "campaign_id": previous.campaign_id.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1.0})],
        }

    @api.multi
    def action_cn_create_quotation(self):
        """One click from an out-of-warranty ticket to a quotation for the customer."""
        self.ensure_one()
        if self.cn_quotation_id:
            raise UserError(_("Ticket %(ticket)s already has quotation %(quotation)s.") % {
                "ticket": self.number, "quotation": self.cn_quotation_id.name})
        if not (self.cn_product_id or self.cn_lot_id):
            raise UserError(_("Ticket %s names no product to quote.") % self.number)
        if self.cn_warranty_state != OUT_OF_WARRANTY:
            raise UserError(_("Ticket %s is not out of warranty: the repair is not charged.") % self.number)
        order = self.env["sale.order"].create(self._cn_prepare_quotation())
        # salespeople who quote may only read tickets: the link back is the system's
        self.sudo().cn_quotation_id = order
        return {"type": "ir.actions.act_window", "res_model": "sale.order", "res_id": order.id,
                "view_mode": "form", "views": [(False, "form")], "target": "current"}
