"""Regenerate ``shapelint/data/keras_api.json``: what the installed Keras accepts.

A developer script, run by hand after upgrading Keras (never at check time)::

    python tools/keras_api.py              # rewrite the shipped file
    python tools/keras_api.py --output x   # write elsewhere (the drift test does)
    python tools/keras_api.py --report     # also list each ``**kwargs`` it could not follow

It imports Keras 3 (``keras``, and ``tensorflow.keras``, which on TF >= 2.16 is Keras 3 with a
few Keras 2 leftovers) and tf_keras (Keras 2), walks their public namespaces and records, for
each public callable, the parameters it accepts. Where a callable takes ``**kwargs`` the script
follows them, by reading the installed source with ``ast``, to where Keras really accepts or
rejects them (see ``Follower``): ``Layer.__init__``'s ``kwargs.pop("input_shape")`` and its
"Unrecognized keyword arguments" check, tf_keras's ``allowed_kwargs`` set, the optimizers'
``decay`` and ``lr`` handling, and so on. Nothing there is typed by hand.

The hand-curated knowledge (old module contents, keyword renames, advice for removed names)
lives apart, in ``tools/keras_history.py``, and is copied into the data file as is.

The output is deterministic: sorted keys, pooled lists in first-use order, no addresses, so
regenerating on the same versions gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import os
import pkgutil
import sys
import textwrap
import time
import types
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "shapelint" / "data" / "keras_api.json"
FORMAT = 1

# The three ways a script reaches Keras here. Value: (the package whose files hold the public
# modules, how user code spells its root).
APIS: dict[str, tuple[str, str]] = {
    "keras": ("keras", "keras"),  # Keras 3
    "tf.keras": ("keras._tf_keras.keras", "tensorflow.keras"),  # Keras 3, TF's flavour
    "tf_keras": ("tf_keras", "tf_keras"),  # Keras 2 (legacy)
}

# Public namespaces whose callables are recorded (relative to the API's root).
NAMESPACES = (
    "activations",
    "applications",
    "backend",
    "callbacks",
    "constraints",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "optimizers.legacy",
    "optimizers.schedules",
    "preprocessing",
    "preprocessing.image",
    "preprocessing.sequence",
    "preprocessing.text",
    "regularizers",
    "utils",
    "wrappers",
)
# Names recorded from the root namespace itself: ``keras.Input`` and friends.
TOP_LEVEL = ("Input", "Model", "Sequential")
# Classes whose public methods are recorded too, as ``Model.fit``, ``layers.LSTM.reset_states``.
METHOD_CLASSES = (
    "Model",
    "Sequential",
    "callbacks.Callback",
    "layers.Bidirectional",
    "layers.GRU",
    "layers.LSTM",
    "layers.Layer",
    "layers.RNN",
    "layers.SimpleRNN",
)

State = Literal["accepted", "warns", "ignored", "rejected"]
Mode = Literal["closed", "open", "ignored"]


# --------------------------------------------------------------------------------------------
# Walking the public API
# --------------------------------------------------------------------------------------------


def public_modules(package: str, spelled: str) -> list[str]:
    """Every public module under ``package`` (skipping ``src``, ``api`` and ``_private``),
    spelled the way user code imports it."""
    root = importlib.import_module(package)
    found = [spelled]
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        parts = info.name[len(package) + 1 :].split(".")
        if any(part.startswith("_") or part in ("src", "api") for part in parts):
            continue
        found.append(spelled + info.name[len(package) :])
    return sorted(found)


def importable(path: str) -> bool:
    """Whether ``import path`` works on this installation."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            importlib.import_module(path)
    except ImportError:
        return False
    return True


def public_callables(api: str) -> dict[str, Any]:
    """Qualname (``layers.Dense``, ``Input``) -> the object, for one API."""
    package, _ = APIS[api]
    found: dict[str, Any] = {}
    root = importlib.import_module(package)
    for name in TOP_LEVEL:
        if hasattr(root, name):
            found[name] = getattr(root, name)
    for namespace in NAMESPACES:
        try:
            module = importlib.import_module(f"{package}.{namespace}")
        except ImportError:
            continue
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            value = getattr(module, name)
            if isinstance(value, type) or inspect.isfunction(inspect.unwrap(value)):
                found[f"{namespace}.{name}"] = value
    return found


# --------------------------------------------------------------------------------------------
# Signatures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """A callable's own signature, ``self`` left out."""

    positional: tuple[str, ...]  # positional-only first, then positional-or-keyword, in order
    positional_only: int
    keyword_only: tuple[str, ...]
    required: tuple[str, ...]
    varargs: bool
    varkw: str | None


def params_of(function: types.FunctionType, bound: bool) -> Params:
    signature = inspect.signature(function, follow_wrapped=True)
    parameters = list(signature.parameters.values())
    if bound and parameters and parameters[0].kind != inspect.Parameter.VAR_POSITIONAL:
        parameters = parameters[1:]
    kinds = inspect.Parameter
    return Params(
        positional=tuple(
            p.name
            for p in parameters
            if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
        ),
        positional_only=sum(p.kind == kinds.POSITIONAL_ONLY for p in parameters),
        keyword_only=tuple(p.name for p in parameters if p.kind == kinds.KEYWORD_ONLY),
        required=tuple(
            p.name
            for p in parameters
            if p.default is kinds.empty and p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
        ),
        varargs=any(p.kind == kinds.VAR_POSITIONAL for p in parameters),
        varkw=next((p.name for p in parameters if p.kind == kinds.VAR_KEYWORD), None),
    )


def function_of(cls: type, name: str) -> tuple[types.FunctionType, type] | None:
    """The Python function ``cls.name`` runs, and the class that defines it."""
    for owner in cls.__mro__:
        if name in vars(owner):
            value = vars(owner)[name]
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            value = inspect.unwrap(value)
            return (value, owner) if isinstance(value, types.FunctionType) else None
    return None


# --------------------------------------------------------------------------------------------
# Following **kwargs through the source
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """What happens to one keyword that a ``**kwargs`` receives."""

    state: State
    message: str = ""


@dataclass(frozen=True)
class Flow:
    """Where a ``**kwargs`` dict ends up: the keys it accepts (or rejects with a message), and
    what happens to any other key. ``closed``: an error; ``ignored``: dropped silently;
    ``open``: handed somewhere this script could not follow (unknown)."""

    mode: Mode
    keys: Mapping[str, Key] = field(default_factory=dict)
    why: str = ""  # open: what the generator could not follow
    error: str = ""  # closed: the message Keras raises for any other key, if it has one


OPEN = Flow("open", {}, "")

# A call reached from the function under study: the function it runs, the class defining it
# (for ``super()``), the runtime class (its MRO), and how many leading parameters are bound.
Target = tuple[types.FunctionType, "type | None", "type | None", int]


def _render(node: ast.expr | None) -> str:
    """A warning's or an error's message as source text: f-string fields become ``{...}``."""
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            str(v.value) if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
            for v in node.values
            if isinstance(v, (ast.Constant, ast.FormattedValue))
        )
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        text = _render(node.left) + _render(node.right)
    else:
        text = ast.unparse(node)
    return " ".join(text.split())


def _is_warning(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("warn", "warning")


def _message(call: ast.Call) -> str:
    return _render(call.args[0] if call.args else None)


def _raised(
    statements: list[ast.stmt], function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
) -> str:
    """The message of the first ``raise SomeError("...")`` among ``statements``. A parameter
    used as the message reads as its default (tf_keras's ``validate_kwargs``); further
    arguments are shown as ``{...}``."""
    defaults: dict[str, ast.expr] = {}
    if function is not None:
        arguments = function.args
        positional = arguments.posonlyargs + arguments.args
        for parameter, default in zip(positional[::-1], arguments.defaults[::-1], strict=False):
            defaults[parameter.arg] = default
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                parts = []
                for argument in node.exc.args:
                    shown = argument
                    if isinstance(argument, ast.Name) and argument.id in defaults:
                        shown = defaults[argument.id]
                    parts.append(
                        _render(shown)
                        if isinstance(shown, (ast.Constant, ast.JoinedStr, ast.BinOp))
                        else "{" + ast.unparse(shown) + "}"
                    )
                return " ".join(parts)
    return ""


class Scope:
    """One function's AST, with parents, that ``Follower`` reads."""

    def __init__(self, function: types.FunctionType) -> None:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
        node = tree.body[0]
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise ValueError(f"not a def: {function}")
        self.node = node
        self.function = function
        self.parent: dict[ast.AST, ast.AST] = {}
        for outer in ast.walk(node):
            for child in ast.iter_child_nodes(outer):
                self.parent[child] = outer
        # Names the function imports itself: ``from keras.src.models import functional``.
        self.imports: dict[str, str] = {}
        for statement in ast.walk(node):
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif (
                isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module
            ):
                for alias in statement.names:
                    self.imports[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
        # Local names bound to a literal set of strings: ``allowed_kwargs = {"input_dim", ...}``.
        self.sets: dict[str, frozenset[str]] = {}
        for statement in ast.walk(node):
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                literal = _string_set(statement.value, {})
                if literal is not None:
                    self.sets[statement.targets[0].id] = literal

    def own_nodes(self, name: str) -> Iterator[ast.AST]:
        """Every node of the body, skipping nested scopes that rebind ``name``."""

        def visit(node: ast.AST) -> Iterator[ast.AST]:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    arguments = child.args
                    bound = [a.arg for a in arguments.posonlyargs + arguments.args]
                    bound += [a.arg for a in arguments.kwonlyargs]
                    bound += [a.arg for a in (arguments.vararg, arguments.kwarg) if a]
                    if name in bound:
                        continue
                if isinstance(child, ast.ClassDef):
                    continue
                yield child
                yield from visit(child)

        return visit(self.node)

    def in_message(self, node: ast.AST) -> bool:
        """Whether ``node`` only goes into an error's or a warning's message."""
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.Raise) or _is_warning(node):
                return True
            if isinstance(node, ast.stmt):
                return False
        return False

    def exclusive(self, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` and ``b`` sit in different arms of one ``if``."""
        arms: dict[ast.AST, str] = {}
        node = a
        while node in self.parent:
            parent = self.parent[node]
            if isinstance(parent, ast.If):
                arms[parent] = (
                    "body" if node in parent.body else "else" if node in parent.orelse else ""
                )
            node = parent
        node = b
        while node in self.parent:
            parent = self.parent[node]
            if isinstance(parent, ast.If) and parent in arms:
                arm = "body" if node in parent.body else "else" if node in parent.orelse else ""
                return bool(arm and arms[parent] and arm != arms[parent])
            node = parent
        return False

    def statement_of(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.stmt):
            node = self.parent[node]
        return node

    def resolve(self, expression: ast.expr) -> Any:
        """The object a dotted name in this function refers to (globals, closure, builtins)."""
        if isinstance(expression, ast.Name) and expression.id in self.imports:
            module, _, attribute = self.imports[expression.id].rpartition(".")
            try:
                return importlib.import_module(self.imports[expression.id])
            except ImportError:
                return getattr(importlib.import_module(module), attribute, None)
        if isinstance(expression, ast.Name):
            closure = inspect.getclosurevars(self.function)
            for space in (closure.nonlocals, self.function.__globals__, closure.builtins):
                if expression.id in space:
                    return space[expression.id]
            return None
        if isinstance(expression, ast.Attribute):
            base = self.resolve(expression.value)
            return getattr(base, expression.attr, None) if base is not None else None
        return None


def _string_set(node: ast.expr, env: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """``{"a", "b"}``, ``set([...])``, ``frozenset({...})`` or a name bound to one."""
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1:
        if node.func.id in ("set", "frozenset"):
            node = node.args[0]
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return frozenset(str(e.value) for e in node.elts if isinstance(e, ast.Constant))
    return None


class Follower:
    """Follows a ``**kwargs`` (or a dict handed on as a plain argument) through the source.

    What counts, in the function that holds the dict ``k``:

    - ``k.pop("key", ...)`` / ``del k["key"]``: the key is accepted here. It ``warns`` if a test
      of its presence guards a ``warnings.warn`` / ``logging.warning``, is ``ignored`` if its value
      is never used beyond such tests, and is ``rejected`` if the test guards a ``raise``.
    - ``f(..., **k)``: the keys go on to ``f``, minus the parameters the call fills itself;
      ``super().__init__`` and ``self.method`` are resolved on the runtime class's MRO.
    - ``f(k)`` / ``f(kwargs=k)``: the dict itself goes to ``f``'s parameter, with any literal sets
      passed beside it (``validate_kwargs(kwargs, allowed_kwargs)``).
    - ``if k: raise ...``, ``for x in k: ... raise`` or ``set(k) - S``: any other key is an
      error (``closed``); in such a loop ``if x in S: raise`` rejects the keys of ``S`` with
      that message, ``if x not in S: raise`` accepts exactly ``S``, and ``if x == "key":
      warnings.warn(...)`` makes that key warn.
    - Reads (``k.get("key")``, ``"key" in k``, ``k["key"]``, ``len(k)``) change nothing, except
      in a dict that is neither passed on nor checked: it swallows unknown keys (``ignored``),
      and the keys it reads are the ones used (tf_keras's ``ModelCheckpoint(period=...)``).
    - Calls in two arms of one ``if`` are alternatives: a key either accepts is accepted, and
      where the arms treat other keys differently (``keras.Model``: the functional branch
      drops them, the other raises) the result is ``open``. Calls in sequence must each
      accept a key.
    - Anything else hands the dict to code this does not model: ``open``.

    The result is only as good as these patterns; ``--report`` lists where they fall short,
    and ``tests/test_keras_api.py`` holds a sample of answers against real calls.
    """

    def __init__(self) -> None:
        self.scopes: dict[types.FunctionType, Scope | None] = {}
        self.cache: dict[tuple[Any, ...], Flow] = {}
        self.active: set[tuple[Any, ...]] = set()

    def scope(self, function: types.FunctionType) -> Scope | None:
        if function not in self.scopes:
            try:
                self.scopes[function] = Scope(function)
            except (OSError, TypeError, ValueError, SyntaxError, IndexError):
                self.scopes[function] = None
        return self.scopes[function]

    def flow(
        self,
        function: types.FunctionType,
        owner: type | None,
        runtime: type | None,
        name: str,
        env: Mapping[str, frozenset[str]] | None = None,
        given: int = 0,
    ) -> Flow:
        """Where the dict ``name`` of ``function`` goes. ``owner`` defines the function (for
        ``super()``), ``runtime`` is the class being built (its MRO), ``env`` binds parameters
        to literal sets, ``given`` counts the positional arguments that arrived in ``*args``."""
        env = dict(env or {})
        key = (function, owner, runtime, name, tuple(sorted(env.items())), given)
        if key in self.cache:
            return self.cache[key]
        if key in self.active:
            return Flow("open", {}, f"recursion in {function.__qualname__}")
        self.active.add(key)
        try:
            scope = self.scope(function)
            if scope is None:
                result = Flow("open", {}, f"no source for {function.__qualname__}")
            else:
                result = self._flow(scope, owner, runtime, name, {**scope.sets, **env}, given)
        finally:
            self.active.discard(key)
        self.cache[key] = result
        return result

    def _flow(
        self,
        scope: Scope,
        owner: type | None,
        runtime: type | None,
        name: str,
        env: Mapping[str, frozenset[str]],
        given: int,
    ) -> Flow:
        where = scope.function.__qualname__
        keys: dict[str, Key] = {}
        reads: dict[str, Key] = {}
        onward: list[tuple[ast.Call, Flow]] = []
        closed = False
        error = ""
        for node in scope.own_nodes(name):
            if not isinstance(node, ast.Name) or node.id != name:
                continue
            if isinstance(node.ctx, ast.Store):
                return Flow("open", {}, f"{where} rebinds {name}")
            if scope.in_message(node):
                continue  # ``raise ValueError(f"... {kwargs}")``: only shown
            parent = scope.parent[node]
            if isinstance(parent, ast.Attribute):
                call = scope.parent[parent]
                method = parent.attr
                if isinstance(call, ast.Call) and call.func is parent:
                    first = call.args[0] if call.args else None
                    literal = first.value if isinstance(first, ast.Constant) else None
                    if method == "pop":
                        if not isinstance(literal, str):
                            return Flow("open", {}, f"{where} pops a computed key")
                        keys[literal] = self._popped(scope, call, literal, name)
                        continue
                    if method == "get" and isinstance(literal, str):
                        reads[literal] = self._read(scope, literal, name)
                        continue
                    if method in ("update", "setdefault"):
                        continue
                    accepted = self._difference(scope, call, env)
                    if method == "keys" and accepted is not None:
                        closed = True  # ``set(kwargs.keys()) - {...}``
                        for key in accepted:
                            keys.setdefault(key, Key("accepted"))
                        continue
                    loop = scope.parent[call]
                    if method in ("keys", "items") and isinstance(loop, ast.For):
                        if loop.iter is call:
                            outcome = self._loop(scope, loop, env)
                            if outcome is None:
                                return Flow("open", {}, f"{where} loops over {name}")
                            closed = True
                            keys.update(outcome[0])
                            error = error or outcome[1]
                            continue
                return Flow("open", {}, f"{where}: {ast.unparse(parent)[:60]}")
            if isinstance(parent, ast.keyword) and parent.arg is None:
                call = scope.parent[parent]
                assert isinstance(call, ast.Call)
                onward.append((call, self._forward(scope, owner, runtime, call, given)))
                continue
            accepted = self._difference(scope, node, env)
            if accepted is not None:
                # ``set(kwargs) - {"sample_weight_mode"}``, then raise on what is left.
                closed = True
                for key in accepted:
                    keys.setdefault(key, Key("accepted"))
                continue
            if isinstance(parent, ast.keyword) or (
                isinstance(parent, ast.Call) and node in parent.args
            ):
                call = parent if isinstance(parent, ast.Call) else scope.parent[parent]
                assert isinstance(call, ast.Call)
                if ast.unparse(call.func) == "len":
                    continue
                onward.append((call, self._hand_over(scope, owner, runtime, call, node, env)))
                continue
            if isinstance(parent, ast.Subscript) and parent.value is node:
                index = parent.slice
                literal = index.value if isinstance(index, ast.Constant) else None
                if isinstance(parent.ctx, ast.Del):
                    if not isinstance(literal, str):
                        return Flow("open", {}, f"{where} deletes a computed key")
                    keys[literal] = Key("ignored")
                elif isinstance(parent.ctx, ast.Load) and isinstance(literal, str):
                    reads[literal] = self._read(scope, literal, name)
                continue
            if isinstance(parent, ast.Compare) and node in parent.comparators:
                left = parent.left
                if isinstance(left, ast.Constant) and isinstance(left.value, str):
                    reads[left.value] = self._read(scope, left.value, name)
                continue
            if isinstance(parent, ast.For) and parent.iter is node:
                outcome = self._loop(scope, parent, env)
                if outcome is None:
                    return Flow("open", {}, f"{where} loops over {name}")
                closed = True
                keys.update(outcome[0])
                error = error or outcome[1]
                continue
            test = self._test_of(scope, node)
            if test is not None:
                if any(isinstance(n, ast.Raise) for s in test.body for n in ast.walk(s)):
                    closed = True
                    error = error or _raised(test.body, scope.node)
                continue
            return Flow("open", {}, f"{where}: {ast.unparse(parent)[:60]}")
        if closed:
            # A key the check lets through and that a presence test warns about.
            for key, value in reads.items():
                if value.state == "warns" and keys.get(key, value).state == "accepted":
                    keys[key] = value
            return Flow("closed", keys, error=error)
        return self._combine(scope, keys, reads, onward)

    @staticmethod
    def _combine(
        scope: Scope,
        keys: dict[str, Key],
        reads: dict[str, Key],
        onward: list[tuple[ast.Call, Flow]],
    ) -> Flow:
        if not onward:
            # Nothing checks the dict: the keys it reads are used, any other is dropped.
            return Flow("ignored", {**reads, **keys})
        flows = [flow for _, flow in onward]
        calls = [call for call, _ in onward]
        exclusive = any(scope.exclusive(a, b) for i, a in enumerate(calls) for b in calls[i + 1 :])
        if exclusive:
            # ``if ...: A.__init__(**kwargs) else: B.__init__(**kwargs)``: which one runs
            # depends on the arguments. A key either one accepts is taken as accepted; any
            # other key is unknown unless every branch treats it alike.
            if any(f.mode == "open" for f in flows):
                return Flow("open", {}, next(f.why for f in flows if f.mode == "open"))
            union: dict[str, Key] = {}
            for flow in flows:
                for key, value in flow.keys.items():
                    if key not in union or union[key].state == "rejected":
                        union[key] = value
            union.update(keys)
            if len({f.mode for f in flows}) > 1:
                return Flow("open", union, f"{scope.function.__qualname__}: branches differ")
            return Flow(flows[0].mode, union, error=flows[0].error)
        if any(f.mode == "open" for f in flows):
            return Flow("open", {}, next(f.why for f in flows if f.mode == "open"))
        # Every key goes to every onward call: it must get through each.
        mode: Mode = "closed" if any(f.mode == "closed" for f in flows) else "ignored"
        merged: dict[str, Key] = {}
        for flow in flows:
            for key, value in flow.keys.items():
                merged.setdefault(key, value)
        result = dict(merged)
        for key in merged:
            for flow in flows:
                if flow.mode == "closed" and key not in flow.keys:
                    del result[key]
                    break
                if key in flow.keys and flow.keys[key].state == "rejected":
                    result[key] = flow.keys[key]
        result.update(keys)
        error = next((f.error for f in flows if f.mode == "closed"), "")
        return Flow(mode, result, error=error)

    @staticmethod
    def _difference(
        scope: Scope, node: ast.expr, env: Mapping[str, frozenset[str]]
    ) -> frozenset[str] | None:
        """``set(k) - S`` or ``set(k.keys()) - S`` (``node`` is ``k`` or ``k.keys()``): the
        literal ``S``, or None."""
        call = scope.parent[node]
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "set"
            and call.args == [node]
        ):
            return None
        difference = scope.parent[call]
        if (
            isinstance(difference, ast.BinOp)
            and isinstance(difference.op, ast.Sub)
            and difference.left is call
        ):
            return _string_set(difference.right, env)
        return None

    def _test_of(self, scope: Scope, node: ast.AST) -> ast.If | None:
        """The ``if`` whose test is ``k`` / ``not k`` / ``k and ...``, if ``node`` is that ``k``."""
        child, parent = node, scope.parent[node]
        while isinstance(parent, (ast.BoolOp, ast.UnaryOp)):
            child, parent = parent, scope.parent[parent]
        if isinstance(parent, ast.If) and parent.test is child:
            return parent
        return None

    def _loop(
        self, scope: Scope, loop: ast.For, env: Mapping[str, frozenset[str]]
    ) -> tuple[dict[str, Key], str] | None:
        """``for x in k:`` that raises: the keys it names (rejected, or accepted by an allowed
        set) and the message for any other key (None: not such a loop)."""
        if not isinstance(loop.target, ast.Name):
            return None
        variable = loop.target.id
        named: dict[str, Key] = {}
        warned: dict[str, Key] = {}
        raises = False
        error = ""
        for statement in loop.body:
            if isinstance(statement, ast.Raise):
                raises = True
                error = error or _raised([statement], scope.node)
            if not isinstance(statement, ast.If):
                continue
            test = statement.test
            if not (
                isinstance(test, ast.Compare)
                and isinstance(test.left, ast.Name)
                and test.left.id == variable
                and len(test.ops) == 1
            ):
                continue
            compared = test.comparators[0]
            if (
                isinstance(test.ops[0], ast.Eq)
                and isinstance(compared, ast.Constant)
                and isinstance(compared.value, str)
            ):
                # ``if k == "lr": warnings.warn(...)`` (tf_keras's legacy optimizers)
                warning = next(
                    (
                        s.value
                        for s in statement.body
                        if isinstance(s, ast.Expr) and _is_warning(s.value)
                    ),
                    None,
                )
                if isinstance(warning, ast.Call):
                    warned[compared.value] = Key("warns", _message(warning))
                continue
            names = _string_set(compared, env)
            body_raise = next((s for s in statement.body if isinstance(s, ast.Raise)), None)
            else_raise = any(isinstance(s, ast.Raise) for s in statement.orelse)
            if names is None:
                continue
            if isinstance(test.ops[0], ast.NotIn) and body_raise is not None:
                raises = True
                error = error or _raised([body_raise], scope.node)
                # The allowed set: each key is accepted (read later, or not at all).
                for key in names:
                    named.setdefault(key, Key("accepted"))
            elif isinstance(test.ops[0], ast.In) and body_raise is not None:
                exception = body_raise.exc
                message = ""
                if isinstance(exception, ast.Call):
                    message = _render(exception.args[0] if exception.args else None)
                for key in names:
                    named[key] = Key("rejected", message)
                if else_raise:
                    raises = True
                    error = error or _raised(statement.orelse, scope.node)
        for key, value in warned.items():
            if key in named and named[key].state == "accepted":
                named[key] = value
        return (named, error) if raises else None

    def _read(self, scope: Scope, key: str, dictionary: str) -> Key:
        """A key the function reads without popping (``k.get("key")``, ``"key" in k``)."""
        message = ""
        for test in ast.walk(scope.node):
            if not isinstance(test, ast.If):
                continue
            condition = test.test
            present = (
                isinstance(condition, ast.Compare)
                and isinstance(condition.left, ast.Constant)
                and condition.left.value == key
                and isinstance(condition.ops[0], ast.In)
                and isinstance(condition.comparators[0], ast.Name)
                and condition.comparators[0].id == dictionary
            )
            # ``if kwargs.get("write_grads", False): logging.warning(...)``
            got = (
                isinstance(condition, ast.Call)
                and isinstance(condition.func, ast.Attribute)
                and condition.func.attr == "get"
                and ast.unparse(condition.func.value) == dictionary
                and bool(condition.args)
                and isinstance(condition.args[0], ast.Constant)
                and condition.args[0].value == key
            )
            if present or got:
                warning = next((n for s in test.body for n in ast.walk(s) if _is_warning(n)), None)
                if isinstance(warning, ast.Call):
                    message = _message(warning)
        return Key("warns", message) if message else Key("accepted")

    def _popped(self, scope: Scope, pop: ast.Call, key: str, dictionary: str) -> Key:
        """How a ``k.pop("key")`` is treated: see the class docstring."""
        statement = scope.statement_of(pop)
        names: set[str] = set()
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                names.add(target.id)
        direct = set(names)
        # Names that carry the popped value on (``shape = (input_dim,)``): a warning about any
        # of them is about this key; an error must test the popped value itself.
        assigns = [n for n in ast.walk(scope.node) if isinstance(n, ast.Assign)]
        growing = True
        while names and growing:
            growing = False
            for assign in assigns:
                if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(assign.value)):
                    for target in assign.targets:
                        if isinstance(target, ast.Name) and target.id not in names:
                            names.add(target.id)
                            growing = True

        def is_presence_test(test: ast.expr, names: set[str]) -> bool:
            if isinstance(test, ast.Compare) and len(test.ops) == 1:
                left, right = test.left, test.comparators[0]
                if isinstance(test.ops[0], ast.In):
                    return (
                        isinstance(left, ast.Constant)
                        and left.value == key
                        and isinstance(right, ast.Name)
                        and right.id == dictionary
                    )
                if isinstance(test.ops[0], ast.IsNot):
                    return (
                        isinstance(right, ast.Constant)
                        and right.value is None
                        and (left is pop or (isinstance(left, ast.Name) and left.id in names))
                    )
                return False
            return test is pop or (isinstance(test, ast.Name) and test.id in names)

        ifs = [n for n in ast.walk(scope.node) if isinstance(n, ast.If)]
        message, error = "", None
        for test in ifs:
            # Only what the ``if`` does itself: a nested ``if`` tests something else too
            # (``if input_shape and batch_input_shape: raise``), and only a top-level ``if``
            # rejects the key outright (not ``if input_tensor is not None: if shape: raise``).
            carried = is_presence_test(test.test, names)
            tested = is_presence_test(test.test, direct) and scope.parent[test] is scope.node
            for inner in test.body:
                if carried and isinstance(inner, ast.Expr) and _is_warning(inner.value):
                    assert isinstance(inner.value, ast.Call)
                    message = message or _message(inner.value)
                if tested and isinstance(inner, ast.Raise) and error is None:
                    exception = inner.exc
                    error = (
                        _render(exception.args[0] if exception.args else None)
                        if isinstance(exception, ast.Call)
                        else ""
                    )
        if error is not None:
            return Key("rejected", error)

        def in_test_or_warning(node: ast.AST) -> bool:
            while node in scope.parent:
                parent = scope.parent[node]
                if isinstance(parent, ast.If) and parent.test is node:
                    return True
                if _is_warning(parent) or isinstance(parent, ast.Raise):
                    return True
                node = parent
            return False

        if names:
            used = any(
                isinstance(n, ast.Name)
                and n.id in names
                and isinstance(n.ctx, ast.Load)
                and not in_test_or_warning(n)
                for n in ast.walk(scope.node)
            )
        else:
            used = not isinstance(statement, ast.Expr) and not in_test_or_warning(pop)
        if not used:
            return Key("ignored", message)
        return Key("warns", message) if message else Key("accepted")

    def _target(
        self, scope: Scope, owner: type | None, runtime: type | None, func: ast.expr
    ) -> tuple[Target, bool] | None:
        """What a call runs, and whether its first positional argument is an explicit ``self``."""
        if isinstance(func, ast.Attribute):
            base = func.value
            if (
                isinstance(base, ast.Call)
                and isinstance(base.func, ast.Name)
                and base.func.id == "super"
                and runtime is not None
                and owner is not None
            ):
                mro = runtime.__mro__
                after = mro[mro.index(owner) + 1 :] if owner in mro else ()
                for cls in after:
                    if func.attr in vars(cls):
                        found = function_of(cls, func.attr)
                        return ((found[0], found[1], runtime, 1), False) if found else None
                return None
            if isinstance(base, ast.Name) and base.id == "self" and runtime is not None:
                found = function_of(runtime, func.attr)
                return ((found[0], found[1], runtime, 1), False) if found else None
            if func.attr == "__init__":
                cls = scope.resolve(base)
                if isinstance(cls, type):
                    found = function_of(cls, "__init__")
                    target_runtime = runtime if runtime is not None else cls
                    return ((found[0], found[1], target_runtime, 1), True) if found else None
                return None
        value = scope.resolve(func)
        if isinstance(value, type):
            found = function_of(value, "__init__")
            return ((found[0], found[1], value, 1), False) if found else None
        value = inspect.unwrap(value) if callable(value) else value
        if isinstance(value, types.FunctionType):
            return (value, None, None, 0), False
        return None

    def _forward(
        self, scope: Scope, owner: type | None, runtime: type | None, call: ast.Call, given: int
    ) -> Flow:
        """``f(..., **k)``: the keys ``f`` accepts, less what the call passes itself (by name,
        or by position, counting what came in through ``*args``)."""
        resolved = self._target(scope, owner, runtime, call.func)
        if resolved is None:
            return Flow("open", {}, f"{scope.function.__qualname__}: {ast.unparse(call.func)}")
        (function, target_owner, target_runtime, bound), explicit_self = resolved
        params = params_of(function, bound > 0)
        vararg = scope.node.args.vararg
        filled = -1 if explicit_self else 0
        for argument in call.args:
            if not isinstance(argument, ast.Starred):
                filled += 1
            elif vararg is not None and ast.unparse(argument.value) == vararg.arg:
                filled += given
        taken = set(params.positional[: max(filled, 0)])
        taken |= {k.arg for k in call.keywords if k.arg is not None}
        keys = {
            p: Key("accepted")
            for p in params.positional[params.positional_only :] + params.keyword_only
            if p not in taken
        }
        if params.varkw is None:
            return Flow("closed", keys)
        onward = max(filled - len(params.positional), 0) if params.varargs else 0
        further = self.flow(function, target_owner, target_runtime, params.varkw, given=onward)
        if further.mode == "open":
            return further
        merged = {k: v for k, v in further.keys.items() if k not in taken}
        merged.update(keys)
        return Flow(further.mode, merged, error=further.error)

    def _hand_over(
        self,
        scope: Scope,
        owner: type | None,
        runtime: type | None,
        call: ast.Call,
        node: ast.Name,
        env: Mapping[str, frozenset[str]],
    ) -> Flow:
        """``f(k)``: follow the dict into ``f``'s parameter of that position or name."""
        resolved = self._target(scope, owner, runtime, call.func)
        if resolved is None:
            return Flow("open", {}, f"{scope.function.__qualname__}: {ast.unparse(call.func)}")
        (function, target_owner, target_runtime, bound), explicit_self = resolved
        params = params_of(function, bound > 0)
        names = list(params.positional)
        bindings: dict[str, frozenset[str]] = {}
        parameter: str | None = None
        skip = 1 if explicit_self else 0
        for index, argument in enumerate(call.args[skip:]):
            if isinstance(argument, ast.Starred) or index >= len(names):
                break
            if argument is node:
                parameter = names[index]
            else:
                literal = _string_set(argument, env)
                if literal is not None:
                    bindings[names[index]] = literal
        for keyword in call.keywords:
            if keyword.arg is None:
                continue
            if keyword.value is node:
                parameter = keyword.arg
            else:
                literal = _string_set(keyword.value, env)
                if literal is not None:
                    bindings[keyword.arg] = literal
        if parameter is None:
            return Flow("open", {}, f"{scope.function.__qualname__}: {ast.unparse(call)[:60]}")
        return self.flow(function, target_owner, target_runtime, parameter, bindings)


# --------------------------------------------------------------------------------------------
# Putting one API together
# --------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One callable: its own parameters and, if it takes ``**kwargs``, where they go."""

    params: Params
    is_class: bool
    bases: tuple[str, ...]
    flow: Flow | None
    # The message of a ``raise`` the body always reaches (``keras.optimizers.legacy.Adam``).
    raises: str | None = None
    # A class's own name, which Keras's messages use: ``Conv2D`` for ``Convolution2D``.
    name: str = ""


def always_raises(follower: Follower, function: types.FunctionType | None) -> str | None:
    scope = follower.scope(function) if function is not None else None
    if scope is None:
        return None
    for statement in scope.node.body:
        if isinstance(statement, ast.Raise):
            exception = statement.exc
            if isinstance(exception, ast.Call):
                name = ast.unparse(exception.func)
                return f"{name}: {_render(exception.args[0] if exception.args else None)}"
            return ast.unparse(exception) if exception else "raise"
    return None


def entry_for(
    value: Any, follower: Follower, names_of: Mapping[int, str], method: bool = False
) -> Entry | None:
    if isinstance(value, type):
        found = function_of(value, "__init__")
        if found is None or found[1] is object:
            params = Params((), 0, (), (), False, None)
            function, owner = None, None
        else:
            function, owner = found
            params = params_of(function, bound=True)
        bases = tuple(names_of[id(base)] for base in value.__mro__[1:] if id(base) in names_of)
        flow = None
        if function is not None and params.varkw is not None:
            flow = follower.flow(function, owner, value, params.varkw)
        raises = always_raises(follower, function)
        return Entry(params, True, bases, flow, raises, value.__name__)
    function = inspect.unwrap(value)
    if not isinstance(function, types.FunctionType):
        return None
    params = params_of(function, bound=method)
    flow = None
    if params.varkw is not None:
        flow = follower.flow(function, None, None, params.varkw)
    return Entry(params, False, (), flow, always_raises(follower, function))


def method_entries(cls: type, prefix: str, follower: Follower) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        located = function_of(cls, name)
        if located is None:
            continue
        function, owner = located
        if isinstance(inspect.getattr_static(cls, name), (staticmethod, classmethod)):
            bound = isinstance(inspect.getattr_static(cls, name), classmethod)
        else:
            bound = True
        params = params_of(function, bound=bound)
        flow = None
        if params.varkw is not None:
            flow = follower.flow(function, owner, cls, params.varkw)
        found[f"{prefix}.{name}"] = Entry(
            params, False, (), flow, always_raises(follower, function)
        )
    return found


def api_entries(api: str, follower: Follower) -> dict[str, Entry]:
    objects = public_callables(api)
    names_of: dict[int, str] = {}
    for qualname in sorted(objects, key=lambda q: (q.count("."), q)):
        names_of.setdefault(id(objects[qualname]), qualname)
    entries: dict[str, Entry] = {}
    for qualname, value in sorted(objects.items()):
        entry = entry_for(value, follower, names_of)
        if entry is not None:
            entries[qualname] = entry
    for qualname in METHOD_CLASSES:
        cls = objects.get(qualname)
        if isinstance(cls, type):
            entries.update(method_entries(cls, qualname, follower))
    return entries


def tf_keras_delta(
    follower: Follower, keras_entries: Mapping[str, Entry]
) -> dict[str, Entry | None]:
    """``tensorflow.keras`` against ``keras``: what it adds or replaces, and (None) lacks."""
    mine = public_callables("tf.keras")
    theirs = public_callables("keras")
    names_of: dict[int, str] = {}
    for qualname in sorted(mine, key=lambda q: (q.count("."), q)):
        names_of.setdefault(id(mine[qualname]), qualname)
    delta: dict[str, Entry | None] = {}
    for qualname, value in sorted(mine.items()):
        if theirs.get(qualname) is value:
            continue
        entry = entry_for(value, follower, names_of)
        if entry is not None:
            delta[qualname] = entry
    for qualname in sorted(theirs):
        if qualname not in mine and qualname in keras_entries:
            delta[qualname] = None
    return delta


# --------------------------------------------------------------------------------------------
# Modules
# --------------------------------------------------------------------------------------------


def module_table(api: str, candidates: list[str]) -> list[str]:
    """The API's importable public modules, relative to its root ("" is the root itself),
    plus each candidate old path that really imports here."""
    package, spelled = APIS[api]
    found = {m[len(spelled) + 1 :] for m in public_modules(package, spelled)}
    for candidate in candidates:
        if candidate not in found and importable(f"{spelled}.{candidate}"):
            found.add(candidate)
    found.discard("")
    return sorted(found)


# --------------------------------------------------------------------------------------------
# The data file
# --------------------------------------------------------------------------------------------


class Pools:
    """Shared lists of names and shared messages: each stored once, referred to by index."""

    def __init__(self) -> None:
        self.lists: list[list[str]] = []
        self.list_index: dict[tuple[str, ...], int] = {}
        self.messages: list[str] = []
        self.message_index: dict[str, int] = {}

    def names(self, names: tuple[str, ...] | list[str]) -> int:
        key = tuple(names)
        if key not in self.list_index:
            self.list_index[key] = len(self.lists)
            self.lists.append(list(key))
        return self.list_index[key]

    def message(self, text: str) -> int:
        if text not in self.message_index:
            self.message_index[text] = len(self.messages)
            self.messages.append(text)
        return self.message_index[text]


def encode(entry: Entry, pools: Pools, qualname: str) -> dict[str, Any]:
    """One callable, compactly. Keys (absent when empty, zero or false):

    ``p`` positional names (list index), ``o`` how many of them are positional-only,
    ``k`` keyword-only names, ``r`` required names, ``v`` takes ``*args``, ``c`` is a class,
    ``b`` its public base classes (qualnames, nearest first), ``a`` the class's own name where
    the qualname gives it another (an alias: ``Convolution2D`` is ``Conv2D``), ``e`` a message
    it always raises,
    ``w`` its ``**kwargs``: ``m`` mode (closed / ignored / open), ``x`` the further keywords it
    accepts (list index), ``n`` {keyword: [state, message index]} for those that warn, are
    ignored or are rejected with a message of their own, ``y`` the message (index) Keras raises
    for any other keyword, where it raises one itself.
    """
    params = entry.params
    encoded: dict[str, Any] = {}
    if params.positional:
        encoded["p"] = pools.names(params.positional)
    if params.positional_only:
        encoded["o"] = params.positional_only
    if params.keyword_only:
        encoded["k"] = pools.names(params.keyword_only)
    if params.required:
        encoded["r"] = pools.names(params.required)
    if params.varargs:
        encoded["v"] = 1
    if entry.is_class:
        encoded["c"] = 1
    if entry.bases:
        encoded["b"] = pools.names(entry.bases)
    if entry.is_class and entry.name and entry.name != qualname.rpartition(".")[2]:
        encoded["a"] = entry.name
    if entry.raises is not None:
        encoded["e"] = pools.message(entry.raises)
    if params.varkw is not None:
        flow = entry.flow or OPEN
        own = set(params.positional[params.positional_only :]) | set(params.keyword_only)
        kwargs: dict[str, Any] = {"m": flow.mode}
        if flow.error:
            kwargs["y"] = pools.message(flow.error)
        extra = sorted(k for k, v in flow.keys.items() if k not in own and v.state != "rejected")
        if extra:
            kwargs["x"] = pools.names(extra)
        notes = {
            k: [v.state, pools.message(v.message)]
            for k, v in sorted(flow.keys.items())
            if k not in own and v.state != "accepted"
        }
        if notes:
            kwargs["n"] = notes
        encoded["w"] = kwargs
    return encoded


def versions() -> dict[str, str]:
    import keras
    import tensorflow
    import tf_keras

    return {
        "keras": str(keras.__version__),
        "tensorflow": str(tensorflow.__version__),
        "tf_keras": str(tf_keras.__version__),
    }


def generate(report: bool = False) -> str:
    """The data file's text."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import keras_history

    follower = Follower()
    entries = {api: api_entries(api, follower) for api in ("keras", "tf_keras")}
    delta = tf_keras_delta(follower, entries["keras"])
    candidates = sorted(set(keras_history.OLD_MODULES) | set(keras_history.MORE_OLD_MODULES))

    pools = Pools()
    apis: dict[str, Any] = {}
    for api in APIS:
        if api == "tf.keras":
            callables: dict[str, Any] = {
                q: None if e is None else encode(e, pools, q) for q, e in delta.items()
            }
        else:
            callables = {q: encode(e, pools, q) for q, e in entries[api].items()}
        apis[api] = {
            "root": APIS[api][1],
            "callables": callables,
            "modules": module_table(api, candidates),
        }
    apis["tf.keras"]["delta_of"] = "keras"
    document = {
        "format": FORMAT,
        "generated_from": versions(),
        "apis": apis,
        "lists": pools.lists,
        "messages": pools.messages,
        "history": {
            "old_modules": {k: list(v) for k, v in keras_history.OLD_MODULES.items()},
            "replacements": keras_history.REPLACEMENTS,
            "renames": keras_history.RENAMES,
        },
    }
    if report:
        for api, found in entries.items():
            for qualname, entry in found.items():
                if entry.flow is not None and entry.flow.mode == "open":
                    print(f"{api} {qualname}: **kwargs not followed: {entry.flow.why}")
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--report", action="store_true", help="list the **kwargs not followed")
    options = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = generate(options.report)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(text, encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"wrote {options.output} ({len(text.encode()):,} bytes) in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
