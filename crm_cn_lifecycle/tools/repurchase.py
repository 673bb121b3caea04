"""Who is due to buy again: plain Python, data in, data out, today is an argument."""
import datetime

CYCLE = "cycle"
WARRANTY = "warranty"
REPLACEMENT = "replacement"


def due_customers(last_orders, rules, today):
    """The (partner, category) pairs due for a repurchase opportunity.

    `last_orders`: dicts with partner_id, categ_id, order_id, order_date (date)
    and warranty_end (date or None), and optionally delivery_date (date or None),
    of each customer's last order per category.
    `rules`: dicts with categ_id, rule_type ('cycle', 'warranty' or 'replacement')
    and days. A consumable cycle is due once `days` have passed since the last
    order; a warranty rule once the warranty ends within `days` (and has not
    ended yet); a replacement (end of life) rule once the goods are `days` old,
    counted from their delivery, else from the order.
    Returns dicts with partner_id, categ_id, order_id and rule_type, one per
    (partner, category), sorted for a stable result."""
    rules_by_categ = {}
    for rule in rules:
        rules_by_categ.setdefault(rule["categ_id"], []).append(rule)
    due = {}
    for row in last_orders:
        for rule in rules_by_categ.get(row["categ_id"], ()):
            if _is_due(row, rule, today):
                key = (row["partner_id"], row["categ_id"])
                due.setdefault(key, {"partner_id": row["partner_id"], "categ_id": row["categ_id"],
                                     "order_id": row["order_id"], "rule_type": rule["rule_type"]})
    return [due[key] for key in sorted(due)]


def _is_due(row, rule, today):
    days = rule["days"]
    if rule["rule_type"] == CYCLE:
        return row["order_date"] is not None and today >= row["order_date"] + datetime.timedelta(days=days)
    if rule["rule_type"] == WARRANTY:
        end = row.get("warranty_end")
        return end is not None and today <= end <= today + datetime.timedelta(days=days)
    if rule["rule_type"] == REPLACEMENT:
        start = row.get("delivery_date") or row["order_date"]
        return start is not None and today >= start + datetime.timedelta(days=days)
    raise ValueError("unknown repurchase rule type %r" % (rule["rule_type"],))
