from odoo import api, fields, models

GROUP_MANAGER = "crm_cn_lifecycle.group_manager"


class ResPartner(models.Model):
    """How a dealer takes forwarded leads: its priority among the candidates of
    a rule (a partner grade may set it) and its cap on open forwarded leads."""

    _inherit = "res.partner"

    cn_forward_priority = fields.Integer(
        string="Lead Forwarding Priority", default=0,
        help="Among the dealers a rule may offer a lead to, the highest priority gets it first.")
    cn_forward_capacity = fields.Integer(
        string="Open Forwarded Leads Cap", default=0,
        help="Most forwarded leads this dealer may hold open (offered or accepted) at once; 0: no cap.")
    cn_forward_ids = fields.One2many("crm.cn.lead.forward", "dealer_id", string="Leads Offered")

    @api.model
    def _cn_protected_fields(self):
        protected = super(ResPartner, self)._cn_protected_fields()
        protected.update({"cn_forward_priority": (GROUP_MANAGER,),
                          "cn_forward_capacity": (GROUP_MANAGER,)})
        return protected
