from . import crm_cn_order_fx  # first: the views below join it
from . import crm_cn_pipeline_risk_report
from . import crm_cn_lifecycle_event
from . import crm_cn_campaign_roi_report
from . import crm_cn_forecast_report
from . import crm_cn_forecast_accuracy
from . import crm_cn_channel_stock_estimate
from . import crm_cn_service_report
from . import crm_cn_win_analysis
from . import crm_cn_sales_margin_report
from . import crm_cn_stock_cover_report
from . import crm_cn_partner_relation_all
from . import crm_cn_trend_report
from . import crm_cn_contact_coverage
from . import crm_cn_goal_curve
from . import crm_cn_win_loss_report
from . import crm_cn_account_statement
# forecast: what moved between snapshots, where the quarter lands
from . import crm_cn_forecast_movement
from . import crm_cn_forecast_landing
