"""Plain-Python business logic: no `odoo` import, data in, data out."""
