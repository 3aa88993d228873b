"""The purge plan as text (for `flask purge-closed-cases` and the audit rows): ids and counts,
never names."""

from __future__ import annotations

from wijkteam.ops.retention.due import PurgePlan


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))


def report(plan: PurgePlan) -> list[str]:
    """The plan as lines of text: case and family ids and counts only, never names."""
    lines = [
        f"Closed case files are kept {plan.years} years after their last change: "
        f"due are those last changed before {plan.cutoff:%Y-%m-%d}."
    ]
    if not plan.units:
        lines.append("Nothing is due.")
    held = dict(plan.families_held_back)
    for unit in plan.units:
        for case in unit.cases:
            lines.append(
                f"Case {case.case_id} (family {case.family_id}): closed {case.closed_on}, "
                f"last change {case.last_change:%Y-%m-%d}, {case.total} rows"
            )
            lines.append(f"    {describe_counts(case.counts)}")
        if unit.family_removed:
            lines.append(
                f"Family {unit.family_id}: no case left, removed too, "
                f"{sum(unit.family_counts.values())} rows"
            )
            lines.append(f"    {describe_counts(unit.family_counts)}")
        elif unit.family_id in held:
            lines.append(
                f"Family {unit.family_id}: no case left, but its own data changed on "
                f"{held[unit.family_id]:%Y-%m-%d}, so it is kept for now"
            )
        else:
            lines.append(f"Family {unit.family_id}: kept (it has other cases)")
    if plan.held_back:
        lines.append(
            "Closed before the cutoff but changed since, so kept for now: "
            + ", ".join(f"case {c} (last change {m:%Y-%m-%d})" for c, m in plan.held_back)
        )
    totals = plan.totals()
    families = sum(1 for u in plan.units if u.family_removed)
    lines.append(
        f"Total: {len(plan.cases)} case(s), {families} family(ies), {sum(totals.values())} rows."
    )
    return lines
