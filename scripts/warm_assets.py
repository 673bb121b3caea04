"""Compile the web client's asset bundles of a database once and keep them.

Odoo 11 compiles a bundle (LESS through lessc, JS concatenation) on the first
page that needs it. HttpCase tests roll back everything they write, so every
test would compile them again and a loaded machine passes the tests' timeout.
Usage: python warm_assets.py CONFIG DATABASE
"""
import os
import sys

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")
import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

BUNDLES = ("web.assets_common", "web.assets_frontend", "web.assets_backend")


def main(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    with api.Environment.manage(), odoo.registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for bundle in BUNDLES:
            env["ir.qweb"]._get_asset_nodes(bundle, {}, css=True, js=True)
        cr.commit()


if __name__ == "__main__":
    main(*sys.argv[1:3])
