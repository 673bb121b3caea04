"""11.0.1.1.0: the customer's credit limit becomes company dependent (one per
company, in its currency). Before the update loads the new field, move the old
column out of the way; post-migrate turns its values into properties."""

OLD_COLUMN = "cn_credit_limit_pre_1_1"


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT 1 FROM information_schema.columns "
               "WHERE table_name = 'res_partner' AND column_name = 'cn_credit_limit'")
    if cr.fetchone():
        cr.execute("ALTER TABLE res_partner RENAME COLUMN cn_credit_limit TO cn_credit_limit_pre_1_1")
