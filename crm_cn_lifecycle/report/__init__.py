from . import crm_cn_pipeline_risk_report
from . import crm_cn_lifecycle_event
from . import crm_cn_campaign_roi_report
from . import crm_cn_forecast_report
from . import crm_cn_forecast_accuracy
