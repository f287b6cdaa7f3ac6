"""libcst's parser, without re-validating the nodes it builds.

Every libcst node checks itself when it is created (``CSTNode.__post_init__`` calls
``_validate``), which guards trees built by hand. A tree from libcst's own parser is
built from source the parser has just accepted, and libcst's comment on that method
notes that validating it is redundant. On Keras scripts the checks are about a sixth of
``parse_module``'s time (bench/floor.py prints both).

The checks are switched off for the parse only, and only while ``__post_init__`` does
nothing but call ``_validate``; a libcst whose method does more parses as usual.
tests/test_parse.py proves the trees equal to libcst's own, node for node, on the
fixtures, ../shared/corpus and the standard library."""

from __future__ import annotations

import threading

import libcst as cst
from libcst._nodes.base import CSTNode

_VALIDATING = CSTNode.__dict__.get("__post_init__")
_lock = threading.Lock()
_parsing = 0  # parses in progress, over all threads


def _unchecked(self: CSTNode) -> None:
    """Creates the node without calling ``_validate``."""


def _only_validates() -> bool:
    code = getattr(_VALIDATING, "__code__", None)
    return code is not None and code.co_names == ("_validate",)


def parse_module(text: str) -> cst.Module:
    """``libcst.parse_module(text)``, the same tree, built without node validation."""
    global _parsing
    if not _only_validates() or CSTNode.__dict__.get("__post_init__") not in (
        _VALIDATING,
        _unchecked,
    ):
        return cst.parse_module(text)
    with _lock:
        if _parsing == 0:
            CSTNode.__post_init__ = _unchecked  # type: ignore[method-assign]
        _parsing += 1
    try:
        return cst.parse_module(text)
    finally:
        with _lock:
            _parsing -= 1
            if _parsing == 0:
                CSTNode.__post_init__ = _VALIDATING  # type: ignore[method-assign,assignment]
