"""Packaging for `pip install .`: puts the addon at odoo/addons/crm_cn_lifecycle.

Odoo 11 finds addons installed there without an --addons-path entry. Its
Odoo-side dependencies (crm, sale, helpdesk_mgmt ...) are Odoo modules, not
listed here: install Odoo 11 and OCA's helpdesk_mgmt first (see README.md).
"""
import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDON = "crm_cn_lifecycle"


def manifest():
    with open(os.path.join(HERE, ADDON, "__manifest__.py")) as handle:
        return ast.literal_eval(handle.read())


def addon_packages():
    """Every folder of the addon holding Python, as odoo.addons.* packages."""
    result = {}
    for folder, _dirs, files in os.walk(os.path.join(HERE, ADDON)):
        if "__init__.py" in files:
            relative = os.path.relpath(folder, HERE)
            result["odoo.addons." + relative.replace(os.sep, ".")] = relative
    return result


def data_files_of(package_dir):
    """Non-Python files (XML, CSV, PO, images) shipped with the addon."""
    found = []
    root = os.path.join(HERE, package_dir)
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith((".py", ".pyc")):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return found


PACKAGES = addon_packages()
setup(
    name="odoo11-addon-" + ADDON.replace("_", "-"),
    version=manifest()["version"],
    description=manifest()["summary"],
    license="AGPL-3",
    packages=sorted(PACKAGES),
    package_dir=PACKAGES,
    package_data={"odoo.addons." + ADDON: data_files_of(ADDON)},
    python_requires=">=3.5",
    install_requires=["scikit-learn>=1.0,<1.1", "numpy", "scipy", "joblib"],
    zip_safe=False,
)
