"""The SQL the dealer scorecard reads: one statement per figure for every
dealer of a company and quarter (no query per dealer). %(ids)s: the dealers
(commercial partners); %(start)s / %(end)s: the quarter, both days included."""

DEALERS = """
SELECT p.id, p.user_id, p.cn_grade_override_id
  FROM res_partner p
 WHERE p.cn_is_dealer AND p.id = p.commercial_partner_id AND p.active
   AND (p.company_id = %(company)s OR p.company_id IS NULL)
   AND (%(only)s::int[] IS NULL OR p.id = ANY(%(only)s::int[]))
 ORDER BY p.id
"""

# Net invoiced purchases in company currency (refunds are negative in the
# invoice's signed untaxed amount), this quarter and the same one last year.
PURCHASES = """
SELECT inv.commercial_partner_id,
       COALESCE(SUM(inv.amount_untaxed_signed)
                FILTER (WHERE inv.date_invoice BETWEEN %(start)s AND %(end)s), 0),
       COALESCE(SUM(inv.amount_untaxed_signed)
                FILTER (WHERE inv.date_invoice BETWEEN %(ly_start)s AND %(ly_end)s), 0)
  FROM account_invoice inv
 WHERE inv.company_id = %(company)s AND inv.type IN ('out_invoice', 'out_refund')
   AND inv.state IN ('open', 'paid') AND inv.commercial_partner_id = ANY(%(ids)s)
   AND (inv.date_invoice BETWEEN %(start)s AND %(end)s
        OR inv.date_invoice BETWEEN %(ly_start)s AND %(ly_end)s)
 GROUP BY inv.commercial_partner_id
"""

# Units delivered to the dealer in the quarter, less returns (done moves
# between our locations and the customer location), as the channel stock
# estimate counts them.
_DELIVERY_MOVES = """
  FROM stock_move m
  JOIN stock_picking pk ON pk.id = m.picking_id
  JOIN res_partner rp ON rp.id = pk.partner_id
  JOIN stock_location ls ON ls.id = m.location_id
  JOIN stock_location ld ON ld.id = m.location_dest_id
 WHERE m.state = 'done' AND (ld.usage = 'customer') <> (ls.usage = 'customer')
   AND m.company_id = %(company)s AND rp.commercial_partner_id = ANY(%(ids)s)
"""
_SIGNED_QTY = "CASE WHEN ld.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END"
DELIVERED = """
SELECT rp.commercial_partner_id, SUM(""" + _SIGNED_QTY + """)
""" + _DELIVERY_MOVES + """
   AND m.date >= %(start)s AND m.date < %(end)s::date + 1
 GROUP BY rp.commercial_partner_id
"""

# Per dealer and product, from its submitted stock reports: the quarter's
# reported sell-out and closing stock; and, for the accuracy, a window from
# the last report on or before the quarter's start (else its first report in
# the quarter) to its last report of the quarter: stock at both ends, the
# sell-out reported and the units we delivered in between.
STOCK = """
WITH lines AS (
    SELECT l.dealer_id, l.product_id, l.date, l.on_hand_qty, l.sold_qty
      FROM crm_cn_channel_stock_report_line l
     WHERE l.state = 'submitted' AND l.dealer_id = ANY(%(ids)s)
       AND l.date > %(start)s::date - %(lookback)s AND l.date <= %(end)s
       AND (l.company_id = %(company)s OR l.company_id IS NULL)
), bounds AS (
    SELECT dealer_id, product_id,
           COALESCE(MAX(date) FILTER (WHERE date <= %(start)s), MIN(date)) AS d0,
           MAX(date) AS d1,
           COALESCE(SUM(sold_qty) FILTER (WHERE date >= %(start)s), 0) AS sold
      FROM lines
     GROUP BY dealer_id, product_id
    HAVING MAX(date) >= %(start)s
), window_sold AS (
    SELECT b.dealer_id, b.product_id, SUM(l.sold_qty) AS sold
      FROM bounds b
      JOIN lines l ON l.dealer_id = b.dealer_id AND l.product_id = b.product_id
                  AND l.date > b.d0 AND l.date <= b.d1
     GROUP BY b.dealer_id, b.product_id
), window_delivered AS (
    SELECT b.dealer_id, b.product_id, SUM(""" + _SIGNED_QTY + """) AS qty
      FROM bounds b
      JOIN stock_move m ON m.product_id = b.product_id AND m.state = 'done'
                       AND m.date >= b.d0 + 1 AND m.date < b.d1 + 1
      JOIN stock_picking pk ON pk.id = m.picking_id
      JOIN res_partner rp ON rp.id = pk.partner_id AND rp.commercial_partner_id = b.dealer_id
      JOIN stock_location ls ON ls.id = m.location_id
      JOIN stock_location ld ON ld.id = m.location_dest_id
     WHERE (ld.usage = 'customer') <> (ls.usage = 'customer') AND m.company_id = %(company)s
     GROUP BY b.dealer_id, b.product_id
)
SELECT b.dealer_id, b.product_id, b.sold, closing.on_hand_qty AS closing,
       CASE WHEN b.d1 > b.d0 THEN opening.on_hand_qty END AS opening,
       COALESCE(ws.sold, 0) AS window_sold, COALESCE(wd.qty, 0) AS window_delivered
  FROM bounds b
  JOIN lines opening ON opening.dealer_id = b.dealer_id AND opening.product_id = b.product_id
                    AND opening.date = b.d0
  JOIN lines closing ON closing.dealer_id = b.dealer_id AND closing.product_id = b.product_id
                    AND closing.date = b.d1
  LEFT JOIN window_sold ws ON ws.dealer_id = b.dealer_id AND ws.product_id = b.product_id
  LEFT JOIN window_delivered wd ON wd.dealer_id = b.dealer_id AND wd.product_id = b.product_id
"""

# Freshness: submitted reports of the quarter, and the last one up to its end.
REPORTS = """
SELECT r.dealer_id, COUNT(*) FILTER (WHERE r.date >= %(start)s), MAX(r.date)
  FROM crm_cn_channel_stock_report r
 WHERE r.state = 'submitted' AND r.dealer_id = ANY(%(ids)s) AND r.date <= %(end)s
   AND (r.company_id = %(company)s OR r.company_id IS NULL)
 GROUP BY r.dealer_id
"""

# After-sales tickets the dealer (or its contacts) opened in the quarter.
TICKETS = """
SELECT p.commercial_partner_id, COUNT(*)
  FROM helpdesk_ticket t
  JOIN res_partner p ON p.id = t.partner_id
 WHERE p.commercial_partner_id = ANY(%(ids)s)
   AND (t.company_id = %(company)s OR t.company_id IS NULL)
   AND t.create_date >= %(start)s AND t.create_date < %(end)s::date + 1
 GROUP BY p.commercial_partner_id
"""

# Lead stats, against the lead-forwarding and deal-registration models
# (crm.cn.lead.forward, crm.cn.deal.registration): run only when they are installed.
LEAD_FORWARDS = """
SELECT f.dealer_id,
       COUNT(*) AS offered,
       COUNT(*) FILTER (WHERE f.state = 'accepted') AS accepted,
       COUNT(*) FILTER (WHERE f.state = 'declined') AS declined,
       COUNT(*) FILTER (WHERE f.state = 'timed_out') AS timed_out,
       AVG(EXTRACT(EPOCH FROM f.answered_on - f.offered_on) / 3600.0)
           FILTER (WHERE f.state IN ('accepted', 'declined') AND f.answered_on IS NOT NULL) AS answer_hours,
       COUNT(*) FILTER (WHERE f.state = 'accepted' AND l.probability = 100 AND l.active) AS won
  FROM crm_cn_lead_forward f
  LEFT JOIN crm_lead l ON l.id = f.lead_id
 WHERE f.dealer_id = ANY(%(ids)s)
   AND f.offered_on >= %(start)s AND f.offered_on < %(end)s::date + 1
   -- a registered deal is held as an accepted offer: it counts as a registration only
   AND NOT EXISTS (SELECT 1 FROM crm_cn_deal_registration r WHERE r.lead_id = f.lead_id)
 GROUP BY f.dealer_id
"""
REGISTRATIONS = """
SELECT r.dealer_id,
       COUNT(*) AS registered,
       COUNT(*) FILTER (WHERE r.state IN ('approved', 'expired')) AS approved,
       COUNT(*) FILTER (WHERE l.probability = 100 AND l.active) AS won
  FROM crm_cn_deal_registration r
  LEFT JOIN crm_lead l ON l.id = r.lead_id
 WHERE r.dealer_id = ANY(%(ids)s) AND r.submit_date IS NOT NULL
   AND r.submit_date >= %(start)s AND r.submit_date < %(end)s::date + 1
 GROUP BY r.dealer_id
"""
