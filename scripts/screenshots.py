"""Take the README screenshots with headless Chromium: usage BASE_URL OUT_DIR [FILE ...]."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tests.browser import HIDE_TOUR_TIPS, chromium, login, wait_for  # noqa: E402

SHOTS = [
    # (file, login, url, css that means the page is ready)
    ("screenshot_pipeline.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_pipeline&view_type=kanban", ".o_kanban_record"),
    ("screenshot_customers.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_customers&view_type=list", ".o_list_view .o_data_row"),
    ("screenshot_customers_pivot.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_customers&view_type=pivot", ".o_pivot table"),
    ("screenshot_campaigns.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_campaigns&view_type=list", ".o_list_view .o_data_row"),
    ("screenshot_campaign_roi.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_campaign_roi&view_type=pivot", ".o_pivot table"),
    ("screenshot_lifecycle.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_lifecycle_events&view_type=list", ".o_list_view .o_data_row"),
    ("screenshot_forecast.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_forecast_quarter", ".o_pivot table"),
    ("screenshot_forecast_quarter.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_forecast_quarter_screen", ".o_form_view .o_data_row"),
    ("screenshot_win_analysis.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_win_analysis", ".o_pivot table"),
    ("screenshot_pyramid.png", "cn_manager",
     "/web#action=crm_cn_lifecycle.action_pyramid&view_type=pivot", ".o_pivot table"),
    ("screenshot_portal.png", "dealer_gz", "/my", ".o_portal_my_home"),
    ("screenshot_portal_leads.png", "dealer_gz", "/my/leads", ".o_cn_leads_table"),
]


def main(base_url, out_dir, *only):
    """Save every screenshot, or only those named in `only`."""
    for filename, user, url, ready in SHOTS:
        if only and filename not in only:
            continue
        driver = chromium()
        try:
            login(driver, base_url, user, user, "#oe_main_menu_navbar, .o_portal_my_home")
            driver.get(base_url + url)
            wait_for(driver, ready)
            time.sleep(1.5)  # let the view finish rendering
            driver.execute_script(HIDE_TOUR_TIPS)
            path = os.path.join(out_dir, filename)
            driver.save_screenshot(path)
            print("saved", path)
        finally:
            driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
