"""A cheap test, before libcst, of whether any enabled rule can fire in a file.

Every finding but SL000's comes from the facts extraction gathers: models, training
calls on them, and uses of removed Keras APIs (``Facts.models``, ``calls``,
``api_uses``). Extraction makes each of them only where the source spells one of a few
names:

* a model (``ModelV``) only from a call that names ``Sequential``, ``Model`` or
  ``Functional`` (``keras_calls.construct``, reached through ``keras_names.canonical``
  of the dotted name the script wrote, aliases resolved through the import, which
  names the class), and with it every layer the rules look at (SL011's included);
* a training call (``TrainCall``) only as a method call on such a model;
* an API use (``ApiUse``) only for a removed layer (``REMOVED_LAYERS``), a removed
  model method (``REMOVED_MODEL_METHODS``, also on a callback's ``self.model``) or a
  data helper (``DATA_HELPERS``);
* a Keras call whose keywords SL008 and SL011 read (``KerasCall``) only for a callable
  that ``keras_api`` records under a namespace (``optimizers.Adam``, ``layers.Dense``),
  reached through a dotted path that spells the namespace: ``keras.optimizers.Adam``,
  ``from keras.optimizers import Adam``, ``from keras import optimizers``; a model
  method only on a model (above) or on a callback's ``self.model`` (the callback's base
  class is spelled ``callbacks.Callback`` in its import or its use);
* an import that SL010 reports (``KerasImport``) only for a Keras 1/2 module path of
  ``keras_api.old_modules`` (``layers.core``), which the source spells out, dots and all
  (``import`` allows only spaces or a backslash newline around the dots).

Each of these is also reached only through a name that an import of a Keras module
bound: extraction's names start unknown, and only ``import`` and ``from ... import``
of a module make a module reference (``walker.import_``, ``walker.import_from``; a
relative import stays unknown, and so does a star import from anything but a Keras
module). A Keras module's path starts with one of a few top-level packages
(``tensorflow``, ``keras``, ``tf_keras``: ``keras_names`` and ``keras_api`` list the
roots), which the import statement spells as a word after ``import`` or ``from`` on
the same logical line (backslash continuations included; a parenthesised name list
follows the module, never precedes it). Library code of other packages that merely
says ``layers`` or ``Model`` (``from keras_core import layers``, ``keras_tuner``) is
skipped that way.

So a file in which none of these names appears as a word, or which imports nothing
from a Keras root, has no facts and no findings, except SL000 when it does not parse:
Python's own parser (ten times libcst's speed) decides that. libcst names are the raw
source text (no Unicode normalisation), so a word search of the text finds every name
extraction could match. Both searches may match in a comment or a string; that only
costs a parse.

The gate covers the rules in ``COVERED`` only: when a rule outside it is enabled (one
added later, which may look for other names), nothing is skipped.
"""

from __future__ import annotations

import ast
import functools
import re
import warnings
from collections.abc import Collection

from shapelint import keras_api, keras_names

COVERED = frozenset({f"SL{n:03d}" for n in range(13)})

NAMES = (
    keras_names.MODELS
    | frozenset(keras_names.REMOVED_LAYERS)
    | frozenset(keras_names.REMOVED_MODEL_METHODS)
    | keras_names.DATA_HELPERS
)


# The rules that read ``KerasCall`` facts.
KEYWORD_RULES = frozenset({"SL008", "SL011"})


@functools.cache
def _words(keywords: bool) -> re.Pattern[str]:
    namespaces = {
        qualname.partition(".")[0]
        for api in ("keras", "tf.keras", "tf_keras")
        for qualname in keras_api.qualnames(api)
        if "." in qualname and keywords
    }
    return re.compile(r"\b(?:" + "|".join(sorted(NAMES | namespaces)) + r")\b")


@functools.cache
def _old_modules() -> re.Pattern[str]:
    dot = r"[\s\\]*\.[\s\\]*"
    paths = sorted(keras_api.old_modules(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(dot.join(p.split(".")) for p in paths) + r")\b")


def _roots() -> list[str]:
    """The top-level packages under which Keras modules live."""
    paths = [prefix for prefix, _ in keras_names._ROOTS] + list(keras_names.KERAS_MODULES)
    paths += [root for root, _ in keras_api.ROOTS]
    return sorted({path.split(".", 1)[0] for path in paths})


@functools.cache
def _import_line() -> re.Pattern[str]:
    """``import``/``from``, then on the same logical line a Keras root as a word."""
    same_line = r"(?:[^\r\n\\]|\\(?:\r\n?|\n)?)*?"
    roots = "|".join(_roots())
    return re.compile(rf"\b(?:import|from)\b{same_line}\b(?:{roots})\b{same_line}(?=\r|\n|$)")


# An attribute ``keras`` (``tf.keras``), the only way from a plain TensorFlow import
# to a Keras module.
_KERAS_ATTRIBUTE = re.compile(r"\.[\s\\]*keras\b")


def _reaches(module: str) -> str:
    """ "keras" for a module path under a Keras root, "tensorflow" for one of TensorFlow's
    that may lead there through ``.keras``, "" for anything else."""
    parts = module.split(".")
    if parts[0] in ("keras", "tf_keras") or (parts[0] == "tensorflow" and "keras" in parts):
        return "keras"
    return "tensorflow" if parts[0] == "tensorflow" else ""


def imports_keras(text: str) -> bool:
    """False only when nothing in ``text`` can name a Keras module: no import of one, and
    no ``.keras`` attribute after an import of TensorFlow. An import line that Python
    cannot read alone (a parenthesised name list, a line inside a string) counts as one."""
    tensorflow = False
    for match in _import_line().finditer(text):
        reached = _line_reaches(match.group(0))
        if "keras" in reached:
            return True
        tensorflow = tensorflow or "tensorflow" in reached
    return tensorflow and _KERAS_ATTRIBUTE.search(text) is not None


@functools.lru_cache(maxsize=4096)
def _line_reaches(line: str) -> frozenset[str]:
    """What the imports of one logical line reach (see ``_reaches``); "keras" for a line
    that Python cannot read alone. Scripts repeat the same import lines, so each is
    parsed once."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            statements = ast.parse(line).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset({"keras"})
    reached: set[str] = set()
    for statement in statements:
        if isinstance(statement, ast.Import):
            modules = [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and not statement.level:
            base = statement.module or ""
            modules = [f"{base}.{alias.name}" for alias in statement.names]
        else:
            continue
        reached.update(_reaches(module) for module in modules)
    return frozenset(reached)


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def could_fire(text: str, select: Collection[str]) -> bool:
    """False only when no rule of ``select`` can report anything in ``text``."""
    if not set(select) <= COVERED:
        return True
    named = (
        _words(bool(KEYWORD_RULES & set(select))).search(text) is not None
        or _old_modules().search(text) is not None
    )
    if named and imports_keras(text):
        return True
    return "SL000" in select and not _parses(text)
