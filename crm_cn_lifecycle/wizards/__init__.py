from . import crm_cn_response_import
from . import crm_cn_credit_approval_wizard
from . import crm_cn_credit_limit_wizard
from . import crm_cn_drp_proposal
from . import crm_cn_channel_stock_upload
from . import crm_cn_cross_sell
from . import crm_cn_forecast_quota_import
from . import crm_cn_forecast_quarter
