"""One finding per place: a function followed from several calls reports each problem once.

Extraction follows a function of the script from each call with the values it is given,
so a problem in its body is found once per call, at the same place (its anchors differ
only in ``sites``, the calls that led there). ``merge`` turns the findings of one rule at
one place that say the same thing, perhaps with other numbers, into one finding that
names the calls and the values they pass.

The rule for the merged finding: its message, numbers and subject are those of the first
call (in the order the script makes them), and the message says which calls give other
values. Its fix is kept when every call's fix is the same; where the fixes differ, the
description is the first call's and no automatic edit is offered (one edit cannot suit
calls that need different ones).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from shapelint.facts import Anchor, CallSite
from shapelint.findings import Fix

if TYPE_CHECKING:
    from shapelint.facts import Facts
    from shapelint.fixes.plans import FixPlan


class Placed(Protocol):
    """What merging needs of a diagnostic (``rules.base.Diagnostic``, which imports this
    module): a dataclass with a place, a message and a fix."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @property
    def anchor(self) -> Anchor: ...

    @property
    def message(self) -> str: ...

    @property
    def fix(self) -> Fix | None: ...

    @property
    def plans(self) -> tuple[FixPlan, ...]: ...


D = TypeVar("D", bound=Placed)

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\.\.")


def merging(check: Callable[[Facts], Iterable[D]]) -> Callable[[Facts], Iterator[D]]:
    """``check`` with the findings at one place merged (see ``merge``)."""

    def merged(facts: Facts) -> Iterator[D]:
        return merge(check(facts))

    merged.__doc__ = check.__doc__
    merged.__wrapped__ = check  # type: ignore[attr-defined]
    # Its own mark: other wrappers (a mutation tester's, functools.wraps) set __wrapped__ too.
    merged.merges_places = True  # type: ignore[attr-defined]
    return merged


def merge(diagnostics: Iterable[D]) -> Iterator[D]:
    """The diagnostics, with those at one place from different calls merged into one."""
    everything = list(diagnostics)
    if not any(d.anchor.sites for d in everything):
        yield from everything
        return
    groups: dict[tuple[object, ...], list[D]] = {}
    for diagnostic in everything:
        key = (diagnostic.anchor.span, _NUMBER.sub("#", diagnostic.message))
        groups.setdefault(key, []).append(diagnostic)
    for group in groups.values():
        yield from _merged(group)


def _context(anchor: Anchor) -> tuple[object, ...]:
    return tuple((site.anchor.span, site.args) for site in anchor.sites)


def _merged(group: list[D]) -> Iterator[D]:
    by_context: dict[tuple[object, ...], list[D]] = {}
    for diagnostic in group:
        members = by_context.setdefault(_context(diagnostic.anchor), [])
        if all(m.message != diagnostic.message for m in members):
            members.append(diagnostic)
    if len(by_context) == 1 or any(len(members) > 1 for members in by_context.values()):
        # One call, or different findings from one call (a loop walked once per value):
        # nothing to merge.
        yield from group
        return
    group = [members[0] for members in by_context.values()]
    first = group[0]
    variants: list[tuple[str, list[D]]] = []
    for diagnostic in group:
        for message, members in variants:
            if message == diagnostic.message:
                members.append(diagnostic)
                break
        else:
            variants.append((diagnostic.message, [diagnostic]))
    if len(variants) == 1:
        yield first
        return
    message = f"{first.message} {_calls_sentence(variants)}"
    fix, plans = _fix_of(group)
    yield dataclasses.replace(first, message=message, fix=fix, plans=plans)


def _fix_of(group: list[D]) -> tuple[Fix | None, tuple[FixPlan, ...]]:
    """The merged finding's fix and plans (see the module's docstring)."""
    first = group[0]
    fix, plans = first.fix, first.plans
    if len({_plans_key(d) for d in group}) > 1:
        plans = ()
    descriptions = {d.fix.description if d.fix else "" for d in group}
    if first.fix is not None and len(descriptions) > 1:
        where = _where(first.anchor.sites[0]) if first.anchor.sites else "the first call"
        fix = Fix(f"For the call on {where}: {first.fix.description}", first.fix.params)
    return fix, plans


def _plans_key(diagnostic: Placed) -> tuple[object, ...]:
    """What a diagnostic's fix plans would change: plans whose fields agree, anchors
    compared by place, make the same edits."""

    def field(value: object) -> object:
        if isinstance(value, Anchor):
            return value.span
        if isinstance(value, tuple):
            return tuple(field(v) for v in value)
        return value

    return tuple(
        (type(plan).__name__, tuple(field(getattr(plan, f.name)) for f in dataclasses.fields(plan)))
        for plan in diagnostic.plans
    )


def _where(site: CallSite) -> str:
    return site.anchor.where


def _calls_sentence(variants: list[tuple[str, list[D]]]) -> str:
    """``build_model runs here for its call on line 40 with batch_size=64 (the values
    above) and on line 55 with batch_size=1.``"""
    sites: list[list[CallSite | None]] = [
        [d.anchor.sites[0] if d.anchor.sites else None for d in members] for _, members in variants
    ]
    known = [s for group in sites for s in group if s is not None]
    # The arguments worth naming: those whose values differ between the calls.
    names: list[str] = []
    for site in known:
        for name, _ in site.args:
            if name not in names:
                names.append(name)
    differing = [name for name in names if len({dict(site.args).get(name) for site in known}) > 1]
    function = known[0].function if known else "the function"
    parts: list[str] = []
    for index, group in enumerate(sites):
        places = [s for s in group if s is not None]
        text = " and ".join(_where(s) for s in places) if places else "other calls"
        if places:
            shown = [
                f"{name}={dict(places[0].args)[name]}"
                for name in differing
                if name in dict(places[0].args)
            ]
            if shown:
                text += f" with {', '.join(shown)}"
        if index == 0:
            text += " (the values above)"
        parts.append(f"on {text}" if places else text)
    calls = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    plural = "calls" if sum(len(g) for g in sites) > 1 else "call"
    return f"{function} runs here for its {plural} {calls}."
