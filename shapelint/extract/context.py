"""What the call handlers (``*_calls.py``, ``freeze.py``) use of the extraction in progress.

The handlers take a ``Context`` rather than the ``Extractor`` itself, so that they need
not import the walker that imports them: the walker's ``Extractor`` is one.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import libcst as cst

    from shapelint.config import Options
    from shapelint.extract.values import ModelV, Value
    from shapelint.facts import Anchor, ApiUse, KerasCall, Model, Num, TrainCall


class Scope(Protocol):
    """Where the walk is: how deep in function calls, inside which loops."""

    @property
    def level(self) -> int: ...

    @property
    def loops(self) -> Sized: ...


class Context(Protocol):
    """The extraction in progress, as a handler of one call sees it."""

    @property
    def path(self) -> str:
        """The script's path (data files are looked for next to it)."""
        ...

    @property
    def options(self) -> Options: ...

    @property
    def frame(self) -> Scope: ...

    @property
    def in_loop(self) -> bool: ...

    @property
    def data_files(self) -> set[str]:
        """Data files read for their shapes; a handler adds those it reads."""
        ...

    @property
    def api_uses(self) -> list[ApiUse]: ...

    @property
    def keras_calls(self) -> list[KerasCall]:
        """Calls of Keras callables other than layers, with their keywords."""
        ...

    @property
    def models(self) -> list[ModelV]:
        """Every model built so far, in order."""
        ...

    @property
    def snapshots(self) -> dict[int, Model]:
        """Each model's frozen facts, by the ``id`` of its ``ModelV``."""
        ...

    def anchor(self, node: cst.CSTNode) -> Anchor: ...

    def label_of(self, node: cst.BaseExpression) -> str | None: ...

    def lookup(self, name: str) -> Value: ...

    def repeat_factor(self, since_loop: int) -> Num | None:
        """How often the current point runs per run of the code at loop depth ``since_loop``."""
        ...

    def record(self, call: TrainCall) -> None:
        """Add a training call to the facts."""
        ...
