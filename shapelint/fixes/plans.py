"""Fix plans: a change described in terms of facts.

A rule is a pure function of the facts, so it cannot edit source text. When it
knows how to repair what it found, it attaches a plan: what to change, at which
anchors, and whether the change is safe. ``shapelint.fixes.edits`` turns a plan
into text edits against the file's syntax tree, or declines when the code does
not have the shape the plan expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapelint.facts import Anchor
from shapelint.findings import Applicability

# Strategies for SL001: trim the data (the default) or change the batch size.
STRATEGIES = ("trim", "divisor")


@dataclass(frozen=True, kw_only=True)
class FixPlan:
    applicability: Applicability
    # "" for a plan that always applies; otherwise the --fix-strategy it belongs to.
    strategy: str = ""


@dataclass(frozen=True, kw_only=True)
class RemoveKeywords(FixPlan):
    """Drop keyword arguments from a layer call (or the layer inside a wrapper)."""

    call: Anchor
    names: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SetKeyword(FixPlan):
    """Give a call the keyword ``name=value`` (``value`` is source text), replacing any
    existing value. ``layer`` names the class of the call to change inside a wrapper."""

    call: Anchor
    name: str
    value: str
    layer: str | None = None
    # Where the argument sits when passed positionally (fit's batch_size is third).
    position: int | None = None


@dataclass(frozen=True, kw_only=True)
class TrimArrays(FixPlan):
    """After the last assignment of each named array, cut it to whole batches."""

    call: Anchor
    # (name as passed to the call, the assignment that last bound it)
    arrays: tuple[tuple[str, Anchor], ...]
    batch: int
    # The module-level constant that holds the batch size, and where it is bound: the
    # trim names it when it is bound before the arrays are.
    batch_name: str = ""
    batch_binding: Anchor | None = None


@dataclass(frozen=True, kw_only=True)
class SetConstant(FixPlan):
    """Change ``name = old`` (an integer literal) at ``binding`` to ``name = new``."""

    binding: Anchor
    name: str
    old: int
    new: int


@dataclass(frozen=True, kw_only=True)
class MoveToInput(FixPlan):
    """Move a first layer's batch_input_shape (or input_shape with batch_size) into a
    ``keras.Input(batch_shape=...)`` placed before it in the Sequential model."""

    layer: Anchor
    kind: str


@dataclass(frozen=True, kw_only=True)
class ResetEachLayer(FixPlan):
    """Replace ``model.reset_states()`` with a reset of each stateful layer."""

    call: Anchor
    model: str


@dataclass(frozen=True, kw_only=True)
class RenameCallee(FixPlan):
    """Call ``new`` instead of ``old`` (a method or a class), e.g. fit_generator -> fit."""

    call: Anchor
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class LegacyRecurrentArgs(FixPlan):
    """Drop ``time_major=False``; turn ``input_length=L, input_dim=D`` into
    ``input_shape=(L, D)`` (or drop ``input_length`` alone)."""

    call: Anchor
    layer: str | None = None


@dataclass(frozen=True, kw_only=True)
class RewriteImport(FixPlan):
    """Import the same names from ``new`` instead of ``old``:
    ``from keras.layers.core import Dense`` -> ``from keras.layers import Dense``."""

    statement: Anchor
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class RenameKeyword(FixPlan):
    """Spell keyword ``old`` as ``new`` on a layer call (or the layer inside a wrapper)."""

    call: Anchor
    old: str
    new: str
    layer: str | None = None
