from . import portal
from . import helpdesk_portal
from . import health
from . import account_portal
from . import deal_registration_portal
from . import lead_portal
from . import scorecard_portal
