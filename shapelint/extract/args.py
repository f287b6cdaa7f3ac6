"""Evaluated call arguments, bound to a signature by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shapelint.extract.values import Value
from shapelint.facts import UNKNOWN

if TYPE_CHECKING:
    import libcst as cst


@dataclass
class Args:
    positional: list[Value] = field(default_factory=list)
    keywords: dict[str, Value] = field(default_factory=dict)
    positional_nodes: list[cst.BaseExpression] = field(default_factory=list)
    keyword_nodes: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # ``*args`` or ``**kwargs`` were passed: any parameter may have been given.
    opaque: bool = False

    def get(self, name: str, index: int | None = None) -> Value | None:
        """The value passed for ``name`` (or at positional ``index``).

        None means it was certainly not passed; UNKNOWN means it may have been
        passed through ``*args``/``**kwargs``.
        """
        if name in self.keywords:
            return self.keywords[name]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return UNKNOWN if self.opaque else None

    def node(self, name: str, index: int | None = None) -> cst.BaseExpression | None:
        if name in self.keyword_nodes:
            return self.keyword_nodes[name]
        if index is not None and index < len(self.positional_nodes):
            return self.positional_nodes[index]
        return None
