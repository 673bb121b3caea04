"""Relations between customers, without a database: which relations hold on
a day, whether two periods overlap, and the top of each customer's group
along its roll-up relations (group -> subsidiary).

Dates are ISO strings ('2026-01-31', as Odoo 11 keeps them) or `date`
objects, never mixed; an empty start or end means "always" / "still"."""
from collections import defaultdict


def holds_on(date_start, date_end, day):
    """True when a relation from `date_start` to `date_end` holds on `day`
    (both ends included)."""
    return (not date_start or date_start <= day) and (not date_end or date_end >= day)


def periods_overlap(start1, end1, start2, end2):
    """True when the two periods share at least one day."""
    return ((not start1 or not end2 or start1 <= end2)
            and (not start2 or not end1 or start2 <= end1))


def parent_map(edges):
    """{child: parent} from (child, parent) pairs in order of preference: a
    child's first pair wins (there is one group at a time, see the model)."""
    parents = {}
    for child, parent in edges:
        parents.setdefault(child, parent)
    return parents


def group_tops(parents, partner_ids):
    """{partner: the top of its group} following `parents` ({child: parent})
    up; a partner without a group is its own top. A cycle (refused when it is
    saved) stops at the last partner before the repeat."""
    tops = {}
    for partner in partner_ids:
        seen = {partner}
        node = partner
        while node in parents and parents[node] not in seen:
            node = parents[node]
            seen.add(node)
        tops[partner] = node
    return tops


def creates_cycle(edges, left, right):
    """Would putting `left` above `right` close a loop? `edges` are the
    (child, parent) pairs already there; True when `right` is `left` or one
    of the groups above `left`."""
    above = defaultdict(set)
    for child, parent in edges:
        above[child].add(parent)
    todo, seen = [left], set()
    while todo:
        node = todo.pop()
        if node == right:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(above.get(node, ()))
    return False


def descendants(edges, roots):
    """`roots` and every partner below them along (child, parent) `edges`,
    whatever the dates: the partners whose group may change with theirs."""
    below = defaultdict(set)
    for child, parent in edges:
        below[parent].add(child)
    found, todo = set(), list(roots)
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(below.get(node, ()))
    return found
