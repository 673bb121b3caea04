from . import res_country_state
from . import crm_cn_brand
from . import crm_cn_territory
from . import res_partner
from . import product_template
from . import crm_lead
