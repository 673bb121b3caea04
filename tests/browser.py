"""Headless Chromium (Debian's package) driven by selenium, for the tests
and for the README screenshots."""
import tempfile

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Hide Odoo's guided-tour tips: they cover what the screenshots are about.
HIDE_TOUR_TIPS = "var s=document.createElement('style');" \
                 "s.innerHTML='.o_tooltip{display:none!important}';document.head.appendChild(s);"


def chromium(width=1400, height=900):
    """A headless Chromium whose console messages can be read back."""
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--lang=en-US",
                     "--window-size=%d,%d" % (width, height),
                     "--user-data-dir=%s" % tempfile.mkdtemp(prefix="cncl-chromium-")):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for(driver, css, timeout=90):
    """The first element matching `css`; on time-out, say what the page showed."""
    try:
        return WebDriverWait(driver, timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        raise AssertionError("%s did not appear on %s within %ss; console: %s; page: %s" % (
            css, driver.current_url, timeout, console_errors(driver), driver.page_source[:2000]))


def click_through(driver, element, ready_css, timeout=90):
    """Click what leaves the page (a link, a form's button) and wait for the
    next page's `ready_css`, never an element of the page left behind."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    try:
        WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(page))
    except TimeoutException:
        raise AssertionError("the page %s did not change within %ss; console: %s" % (
            driver.current_url, timeout, console_errors(driver)))
    return wait_for(driver, ready_css, timeout)


def login(driver, base_url, login_name, password, ready_css):
    """Log in through Odoo's login form and wait for `ready_css`."""
    driver.get(base_url + "/web/login")
    wait_for(driver, "input#login").send_keys(login_name)
    driver.find_element(By.CSS_SELECTOR, "input#password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    return wait_for(driver, ready_css)


def fill(driver, name, value):
    """Type `value` into the form field named `name`, replacing what it held."""
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def console_errors(driver):
    """Severe console messages (JavaScript errors, failed requests)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
