"""The last contact with each customer, in SQL for all customers at once.

A contact is a message on the customer (or one of its contacts), on one of its
opportunities or on one of its orders that is either a done activity (Odoo
posts it with the activity's type) or a comment or e-mail written by an
internal user. Shared by the overdue-contact scheduler and the coverage
report (a SQL view), so both count the same contacts."""
from psycopg2 import sql

from ..tools.sql_text import as_text

# each customer's messages that count as a contact: (partner_id, date, activity type)
CONTACT_TOUCHES = """
    SELECT p.commercial_partner_id AS partner_id, m.date AS date,
           m.mail_activity_type_id AS activity_type_id
      FROM mail_message m JOIN res_partner p ON p.id = m.res_id
     WHERE m.model = 'res.partner' AND {contact}
    UNION ALL
    SELECT p.commercial_partner_id, m.date, m.mail_activity_type_id
      FROM mail_message m JOIN crm_lead l ON l.id = m.res_id
      JOIN res_partner p ON p.id = l.partner_id
     WHERE m.model = 'crm.lead' AND {contact}
    UNION ALL
    SELECT p.commercial_partner_id, m.date, m.mail_activity_type_id
      FROM mail_message m JOIN sale_order s ON s.id = m.res_id
      JOIN res_partner p ON p.id = s.partner_id
     WHERE m.model = 'sale.order' AND {contact}
""".format(contact="""(m.mail_activity_type_id IS NOT NULL
        OR (m.message_type IN ('comment', 'email') AND EXISTS (
            SELECT 1 FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share)))""")

# per customer of a company's current pyramid with a tier rule: its company,
# tier, salesperson, rule, cadence and last contact (a date, NULL when never);
# the last contact is looked up per customer through the indexes (mail_message
# model/res_id, the partner columns): the plan does not rest on estimates of
# an aggregate over all messages.
CUSTOMER_CONTACTS = """
    SELECT line.company_id, line.partner_id, line.tier, cp.user_id, cp.team_id,
           rule.id AS rule_id, rule.contact_days, rule.activity_type_id,
           rule.visit_days, rule.visit_activity_type_id, touch.last_contact
      FROM crm_cn_pyramid_line line
      JOIN crm_cn_tier_rule rule ON rule.company_id = line.company_id
                                AND rule.tier = line.tier AND rule.active
      JOIN res_partner cp ON cp.id = line.partner_id AND cp.active
      LEFT JOIN LATERAL (SELECT MAX(touches.date)::date AS last_contact
                           FROM ({touches}) touches
                          WHERE touches.partner_id = line.partner_id) touch ON TRUE
     WHERE line.is_current
""".format(touches=CONTACT_TOUCHES)


def read_last_contacts(cr, partner_ids):
    """{commercial partner id: date string of its last contact} of these customers."""
    if not partner_ids:
        return {}
    cr.execute(as_text(cr, sql.SQL("""
        SELECT partner_id, MAX(date)::date FROM ({touches}) touches
         WHERE partner_id = ANY(%s) GROUP BY partner_id""").format(touches=sql.SQL(CONTACT_TOUCHES))),
               (list(partner_ids),))
    return dict(cr.fetchall())


def read_last_done_activities(cr, partner_ids, activity_type_ids):
    """{(commercial partner id, activity type id): date string} of the last done
    activity of each of these types on each of these customers."""
    if not partner_ids or not activity_type_ids:
        return {}
    cr.execute(as_text(cr, sql.SQL("""
        SELECT partner_id, activity_type_id, MAX(date)::date FROM ({touches}) touches
         WHERE partner_id = ANY(%s) AND activity_type_id = ANY(%s)
         GROUP BY partner_id, activity_type_id""").format(touches=sql.SQL(CONTACT_TOUCHES))),
               (list(partner_ids), list(activity_type_ids)))
    return {(partner_id, type_id): day for partner_id, type_id, day in cr.fetchall()}
