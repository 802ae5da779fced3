"""The stakeholder-group tree: ancestors, descendants and display order.

Groups form a small table (dozens of rows), so callers read it once and walk it
here in memory. Every walk is safe against a parent cycle, which `clean()`
refuses but raw data could still hold.
"""


def _pairs(groups):
    """(id, parent id) pairs from group instances, or the pairs themselves."""
    return [(group.pk, group.parent_id) if hasattr(group, "parent_id") else tuple(group) for group in groups]


def ancestor_map(groups):
    """Each group's id with the ids above it, nearest first: `{child: [child, parent, grandparent]}`."""
    parents = dict(_pairs(groups))
    ancestors = {}
    for pk in parents:
        chain, current = [], pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        ancestors[pk] = chain
    return ancestors


def descendant_ids(groups, wanted):
    """The ids of `wanted` (groups or ids) and of every group below them."""
    children = {}
    for pk, parent_id in _pairs(groups):
        children.setdefault(parent_id, []).append(pk)
    found = set()
    stack = [getattr(item, "pk", item) for item in wanted]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


def ordered(groups):
    """(group, depth) pairs in display order, each child right after its parent.

    `groups` come in display order (the model's ordering). A group whose parent is
    not among them is shown at the top level, and so is one caught in a cycle.
    """
    known = {group.pk for group in groups}
    children = {}
    for group in groups:
        children.setdefault(group.parent_id if group.parent_id in known else None, []).append(group)
    result, seen = [], set()

    def visit(parent_id, depth):
        for group in children.get(parent_id, ()):
            if group.pk not in seen:
                seen.add(group.pk)
                result.append((group, depth))
                visit(group.pk, depth + 1)

    visit(None, 0)
    for group in groups:
        if group.pk not in seen:
            seen.add(group.pk)
            result.append((group, 0))
            visit(group.pk, 1)
    return result
