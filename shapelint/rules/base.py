"""What a rule is: its identity, its documentation, its examples and a pure check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from shapelint.facts import Anchor, Facts
from shapelint.findings import Fix, Severity
from shapelint.fixes.plans import FixPlan
from shapelint.places import merging
from shapelint.subjects import Subject


@dataclass(frozen=True)
class Diagnostic:
    """What a rule reports: where, what, and how to fix it. The pipeline adds path and span."""

    anchor: Anchor
    message: str
    fix: Fix | None = None
    provenance: tuple[tuple[str, str], ...] = ()
    # Set when one finding of a rule is less severe than the rule (SL006 on targets).
    severity: Severity | None = None
    # The facts the finding is about, for `shapelint verify` to rebuild the case, and its
    # numbers for the output.
    subject: Subject | None = field(default=None, compare=False)
    # How to carry out the fix, for `--fix`: the first plan whose strategy applies wins.
    plans: tuple[FixPlan, ...] = ()


@dataclass(frozen=True)
class Invalid:
    """An inline example that triggers the rule, as in Fixit. ``fixed`` is the source after
    ``shapelint check --fix`` (with ``--unsafe-fixes`` for a rule whose autofix is unsafe);
    without it, ``--fix`` must leave the example as it is."""

    code: str
    fixed: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    fix: str
    fix_example: str
    check: Callable[[Facts], Iterable[Diagnostic]]
    # Fixit-style inline examples: each ``invalid`` source must trigger the rule (and, as an
    # ``Invalid`` with ``fixed``, be fixed into that source), each ``valid`` one must not.
    # The tests run them.
    valid: tuple[str, ...] = ()
    invalid: tuple[str | Invalid, ...] = ()
    # Off-by-default rules run only when --select names them.
    default: bool = True
    # What `--fix` does for this rule, and whether it is "safe" or "unsafe" ("" if nothing).
    autofix: str = ""
    autofix_kind: str = ""

    def __post_init__(self) -> None:
        # A function the script calls from several places is followed from each: its
        # problems are merged into one finding per place (shapelint.places).
        if not getattr(self.check, "merges_places", False):
            object.__setattr__(self, "check", merging(self.check))

    @property
    def invalid_examples(self) -> tuple[Invalid, ...]:
        return tuple(e if isinstance(e, Invalid) else Invalid(e) for e in self.invalid)

    def doc(self) -> str:
        """The rule's documentation, in the four parts every rule has."""
        return (
            f"{self.code} {self.name} ({self.severity})\n\n"
            f"{self.summary}\n\n"
            f"## What it does\n{self.what}\n\n"
            f"## Why it breaks\n{self.why}\n\n"
            f"## Example\n```python\n{self.example.strip()}\n```\n\n"
            f"## Fix\n{self.fix}\n\n```python\n{self.fix_example.strip()}\n```\n"
            + (
                f"\n## Automatic fix ({self.autofix_kind})\n{self.autofix}\n"
                if self.autofix
                else ""
            )
        )
