from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmLead(models.Model):
    """Competitors on an opportunity, the one it was lost to, and the product
    category it is about: the dimensions of the win/loss report."""

    _inherit = "crm.lead"

    cn_competitor_ids = fields.Many2many("crm.cn.competitor", "crm_lead_cn_competitor_rel", "lead_id",
                                         "competitor_id", string="Competitors",
                                         help="Competitors also bidding for this deal.")
    cn_lost_to_id = fields.Many2one("crm.cn.competitor", string="Lost To", index=True,
                                    track_visibility="onchange",
                                    help="The competitor that won the deal, when it was lost.")
    cn_categ_id = fields.Many2one("product.category", string="Product Category", index=True,
                                  help="What the deal is mainly about (for the win/loss report).")

    @api.constrains("cn_lost_to_id", "cn_competitor_ids")
    def _check_cn_lost_to(self):
        for lead in self:
            if lead.cn_lost_to_id and lead.cn_lost_to_id not in lead.cn_competitor_ids:
                raise ValidationError(_("The competitor an opportunity was lost to must be among its "
                                        "competitors (%s).") % lead.cn_lost_to_id.name)

    @api.model
    def create(self, vals):
        return super(CrmLead, self).create(self._cn_with_lost_to(vals))

    @api.multi
    def write(self, vals):
        return super(CrmLead, self).write(self._cn_with_lost_to(vals))

    @staticmethod
    def _cn_with_lost_to(vals):
        """Naming the competitor a deal was lost to also puts it among the deal's competitors."""
        if vals.get("cn_lost_to_id"):
            vals = dict(vals)
            vals["cn_competitor_ids"] = list(vals.get("cn_competitor_ids") or []) + [
                (4, vals["cn_lost_to_id"])]
        return vals

