"""The extraction pass: walk a module's statements in order, evaluating what can be known.

It is a small abstract interpreter. Straight-line code is followed exactly; a
branch merges what both sides agree on; a name assigned in a loop or a
function it cannot follow becomes UNKNOWN. Nothing is executed or imported.
Library calls (numpy, Keras, builtins) are interpreted in their own modules.
"""

from __future__ import annotations

import builtins
import os
import re
from dataclasses import dataclass, field, replace

import libcst as cst

from shapelint import keras_api, keras_names
from shapelint.config import Options
from shapelint.extract import (
    builtin_calls,
    classes,
    data_calls,
    file_calls,
    keras_calls,
    literals,
    numpy_calls,
    pandas_calls,
    sklearn_calls,
)
from shapelint.extract.args import Args
from shapelint.extract.numbers import binop, combine, term
from shapelint.extract.scan import children, global_names, is_generator, scan_block
from shapelint.extract.values import (
    ArrayV,
    Builtin,
    ClassV,
    Const,
    DatasetV,
    FrameV,
    FunctionV,
    IndexerV,
    InstanceV,
    LayerV,
    ListV,
    ModelV,
    ModuleRef,
    NpzV,
    RangeV,
    RngV,
    Scalar,
    ScalerV,
    SomeModelV,
    Sym,
    TupleV,
    Value,
    common_shape,
    element_shape,
)
from shapelint.facts import (
    UNKNOWN,
    Anchor,
    ApiUse,
    CallSite,
    KerasCall,
    KerasImport,
    Model,
    Num,
    TrainCall,
)
from shapelint.positions import PositionIndex

_BUILTINS = frozenset(dir(builtins))
_SCALERS = frozenset(
    {
        "MinMaxScaler",
        "StandardScaler",
        "RobustScaler",
        "MaxAbsScaler",
        "Normalizer",
        "PowerTransformer",
        "QuantileTransformer",
    }
)
_OPERATORS: dict[type, str] = {
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
    cst.Divide: "/",
    cst.FloorDivide: "//",
    cst.Modulo: "%",
    cst.Power: "**",
}
_AUG_OPERATORS: dict[type, str] = {
    cst.AddAssign: "+",
    cst.SubtractAssign: "-",
    cst.MultiplyAssign: "*",
    cst.DivideAssign: "/",
    cst.FloorDivideAssign: "//",
    cst.ModuloAssign: "%",
}


@dataclass
class Loop:
    iterations: Num | None
    certain: bool


@dataclass
class Frame:
    env: dict[str, Value]
    level: int = 0
    loops: list[Loop] = field(default_factory=list)
    # Globals this function cannot trust: rebound at module level after its definition.
    hidden: frozenset[str] = frozenset()
    # In a function followed from a call: the values it returns, and whether it has
    # certainly returned already.
    returns: list[Value] | None = None
    done: bool = False


_MAX_UNROLL = 16
_MAX_CALL_DEPTH = 6


class Extractor:
    def __init__(
        self,
        module: cst.Module,
        positions: PositionIndex,
        path: str = "<string>",
        options: Options | None = None,
        text: str | None = None,
    ) -> None:
        self.module = module
        # The source text; regenerating it from the tree would cost a whole codegen.
        self.text = text if text is not None else module.code
        self.positions = positions
        self.path = path
        self.options = options or Options(read_data=False)
        self.declared_lines: dict[int, int] = {}
        self.declared: tuple[int, int] | None = None
        self.globals: dict[str, Value] = {}
        self.frame = Frame(self.globals)
        self.volatile: set[str] = set()
        self.star_modules: list[str] = []
        self.flavours: set[str] = set()
        # Data files read for their shapes: a cached result is only as fresh as they are.
        self.data_files: set[str] = set()
        self.calls: list[TrainCall] = []
        self.api_uses: list[ApiUse] = []
        self.keras_calls: list[KerasCall] = []
        # Imports of Keras modules, each once (a function's body may be walked often).
        self.keras_imports: list[KerasImport] = []
        self._imports_seen: set[tuple[int, str]] = set()
        # How many ``try`` bodies with an ``except`` clause enclose the current statement.
        self.guarded = 0
        self.models: list[ModelV] = []
        self.snapshots: dict[int, Model] = {}
        self.deferred: list[tuple[cst.FunctionDef, int]] = []
        # Classes whose methods are analysed after the module (before deferred functions,
        # so that functions their methods call are followed with the methods' arguments).
        self.deferred_classes: list[ClassV] = []
        self.walked: set[int] = set()
        # The calls being followed, innermost first: every anchor made inside carries them.
        self.sites: tuple[CallSite, ...] = ()
        # ``self`` of the methods being walked, innermost last (for ``super()``).
        self.instances: list[InstanceV] = []
        # While ``__init__`` is analysed: the methods it calls on self.
        self.method_calls: list[str] | None = None
        # Module-level bindings, numbered in order, to tell which globals a function may
        # see with a value other than the final one.
        self.binds: dict[str, list[int]] = {}
        self.seq = 0
        self.inlined: set[int] = set()
        self.call_stack: list[cst.FunctionDef] = []
        self._code: cst.Module | None = None
        # The top-level statement that lexically holds what is being walked, and that of
        # each function and class definition met: spans are resolved one statement at a
        # time (PositionIndex.span). None where it is not known.
        self.top: cst.CSTNode | None = None
        self.tops: dict[int, cst.CSTNode | None] = {}
        self.node_tops: dict[int, cst.CSTNode | None] = {}

    # -- entry -------------------------------------------------------------------------

    def run(self) -> None:
        code = self.text
        if "global" in code or "nonlocal" in code:
            self.volatile = global_names(self.module)
        if "shapelint:" in code:
            self.declared_lines = declarations(code)
        for statement in self.module.body:
            if self.frame.done:
                break
            self.top = statement
            self.block((statement,))
        self.top = None
        while self.deferred or self.deferred_classes:
            if self.deferred_classes:
                self.analyse_class(self.deferred_classes.pop(0))
                continue
            fn, defined_at = self.deferred.pop(0)
            if id(fn) not in self.inlined and id(fn) not in self.walked:
                self.walked.add(id(fn))
                self.function_body(fn, defined_at)

    # -- helpers -----------------------------------------------------------------------

    def anchor(self, node: cst.CSTNode) -> Anchor:
        positions = self.positions
        top = self.node_tops.get(id(node), self.top) or self.top
        return Anchor(lambda: positions.span(node, top), positions.label, self.sites)

    def source(self, node: cst.CSTNode) -> str:
        if self._code is None:
            self._code = cst.Module(body=[])
        return self._code.code_for_node(node)

    def lookup(self, name: str) -> Value:
        if name in self.volatile:
            return UNKNOWN
        env = self.frame.env
        if name in env:
            return env[name]
        if env is not self.globals and name in self.globals:
            return UNKNOWN if name in self.frame.hidden else self.globals[name]
        for module in self.star_modules:
            if name in keras_names.STAR_NAMES:
                return ModuleRef(f"{module}.{name}")
        if name in _BUILTINS:
            return Builtin(name)
        return UNKNOWN

    def bind(self, name: str, value: Value, node: cst.CSTNode) -> None:
        declared = self.options.samples.get(name)
        if declared is not None:
            source = os.path.basename(self.options.source or "pyproject.toml")
            value = _declare(value, Num(declared, f"{declared} declared for {name} in {source}"))
        elif self.declared is not None and isinstance(node, (cst.Assign, cst.AnnAssign)):
            count, line = self.declared
            value = _declare(value, Num(count, f"{count} declared on line {line}"))
        if isinstance(value, ArrayV):
            value = value.relabel(name, self.anchor(node))
        elif isinstance(value, DatasetV) and not value.label:
            value = replace(value, label=name, anchor=self.anchor(node))
        elif isinstance(value, Num) and value.anchor is None:
            value = replace(value, anchor=self.anchor(node), name=name)
        elif isinstance(value, ModelV) and value.name == "":
            value.name = name
        if self.frame.env is self.globals:
            self.seq += 1
            self.binds.setdefault(name, []).append(self.seq)
        self.frame.env[name] = value

    @property
    def in_loop(self) -> bool:
        return bool(self.frame.loops)

    def repeat_factor(self, since_loop: int) -> Num | None:
        """How often the current point runs per run of the code at loop depth ``since_loop``."""
        total: int | float = 1
        for loop in self.frame.loops[since_loop:]:
            if loop.iterations is None or not loop.certain:
                return None
            total *= loop.iterations.value
        hows = [lp.iterations.how for lp in self.frame.loops[since_loop:] if lp.iterations]
        return Num(total, " * ".join(h for h in hows if h))

    # -- statements --------------------------------------------------------------------

    def block(self, statements: object) -> None:
        for statement in statements:  # type: ignore[attr-defined]
            if self.frame.done:
                return
            try:
                self.statement(statement)
            except RecursionError:
                raise
            except (ValueError, TypeError, ArithmeticError, IndexError, KeyError):
                # A value we do not model well: forget what this statement binds.
                self.forget(statement)

    def suite(self, body: cst.BaseSuite) -> None:
        if isinstance(body, cst.IndentedBlock):
            self.block(body.body)
        elif isinstance(body, cst.SimpleStatementSuite):
            self.block(body.body)

    def forget(self, node: cst.CSTNode) -> None:
        names, _ = scan_block(node)
        for name in names:
            self.frame.env[name] = UNKNOWN
        self.forget_attributes(node)

    def instances_in_scope(self) -> list[tuple[str, InstanceV]]:
        """The instances (``self``) that local names hold, with those names."""
        return [(k, v) for k, v in self.frame.env.items() if isinstance(v, InstanceV)]

    def forget_attributes(self, node: cst.CSTNode) -> None:
        """Attributes of ``self`` that ``node`` may rebind (itself or through the methods
        it calls) become unknown."""
        for name, inst in self.instances_in_scope():
            rebinds, calls = classes.assigned_in(node, name)
            for method in calls:
                effect = classes.closure(inst.cls.summaries, method)
                rebinds |= effect.rebinds
                if effect.escapes or (
                    method not in inst.cls.summaries and method not in inst.attrs
                ):
                    inst.opaque = True
            for attr in rebinds:
                inst.attrs[attr] = UNKNOWN

    def statement(self, node: cst.CSTNode) -> None:
        if type(node) is cst.SimpleStatementLine:
            if self.declared_lines:
                span = self.positions.span(node, self.top)
                for line in range(span.line, span.end_line + 1):
                    if line in self.declared_lines:
                        self.declared = (self.declared_lines[line], line)
            try:
                self.block(node.body)
            finally:
                self.declared = None
        elif type(node) is cst.Expr:
            self.eval(node.value)
        elif type(node) is cst.Assign:
            value = self.eval(node.value)
            for target in node.targets:
                self.assign(target.target, value, node)
        elif type(node) is cst.AnnAssign:
            if node.value is not None:
                self.assign(node.target, self.eval(node.value), node)
        elif type(node) is cst.AugAssign:
            self.aug_assign(node)
        elif type(node) is cst.Import:
            self.import_(node)
        elif type(node) is cst.ImportFrom:
            self.import_from(node)
        elif type(node) is cst.If:
            self.if_(node)
        elif type(node) is cst.For:
            self.for_(node)
        elif type(node) is cst.While:
            self.while_(node)
        elif type(node) is cst.Try or type(node) is cst.TryStar:
            self.try_(node)
        elif type(node) is cst.With:
            for item in node.items:
                value = self.eval(item.item)
                if item.asname is not None:
                    self.assign(item.asname.name, UNKNOWN if value is not UNKNOWN else value, node)
            self.suite(node.body)
        elif type(node) is cst.FunctionDef:
            self.tops[id(node)] = self.top
            defined_at = self.seq if self.frame.env is self.globals else 0
            followable = not node.decorators and node.asynchronous is None
            if followable and ("yield" not in self.text or not is_generator(node)):
                self.bind(node.name.value, FunctionV(node, defined_at), node)
            else:
                self.frame.env[node.name.value] = UNKNOWN
            self.deferred.append((node, defined_at))
        elif type(node) is cst.ClassDef:
            self.class_def(node)
        elif type(node) is cst.Return:
            returned = self.eval(node.value) if node.value is not None else Const(None)
            if self.frame.returns is not None:
                self.frame.returns.append(returned)
                if self.frame.level == 0 and not self.frame.loops:
                    self.frame.done = True
        elif type(node) is cst.Del:
            self.forget(node)
            self.assign(node.target, UNKNOWN, node)
        elif type(node) is cst.Match:
            self.branches([case.body for case in node.cases], node)
        # pass, break, continue, global, raise, assert: nothing to learn.

    def assign(self, target: cst.BaseExpression, value: Value, node: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, value, node)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items: tuple[Value, ...] | None = None
            if isinstance(value, TupleV) and len(value.items) == len(elements):
                items = value.items
            for i, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    items = None
                item = items[i] if items is not None else UNKNOWN
                self.assign(element.value, item, node)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            # ``x.shape = ...`` or ``x[...] = ...``: the object may have changed shape.
            base = target.value
            holder = self.eval(base)
            if isinstance(target, cst.Attribute) and isinstance(holder, (InstanceV, ClassV)):
                # ``self.model = ...`` (or ``Forecaster.model = ...``): an attribute it holds.
                attr = target.attr.value
                if isinstance(value, ModelV) and value.name == "":
                    value.name = f"{self.label_of(base) or 'self'}.{attr}"
                if isinstance(holder, InstanceV):
                    holder.attrs[attr] = value
                else:
                    holder.namespace[attr] = value
            elif isinstance(base, cst.Name) and isinstance(target, cst.Attribute):
                self.frame.env[base.value] = UNKNOWN
            elif isinstance(holder, ModelV):
                holder.escape()
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, UNKNOWN, node)

    def aug_assign(self, node: cst.AugAssign) -> None:
        op = _AUG_OPERATORS.get(type(node.operator))
        right = self.eval(node.value)
        if isinstance(node.target, cst.Name):
            left = self.lookup(node.target.value)
            result: Value = UNKNOWN
            if op is not None:
                result = self.arith(op, left, right, node.target, node.value)
            if isinstance(left, ListV) and op == "+":
                left.count = None
                result = left
            self.bind(node.target.value, result, node)
        else:
            self.assign(node.target, UNKNOWN, node)

    def import_(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            self.note_flavour(dotted)
            self.note_import(node, dotted, ())
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.frame.env[alias.asname.name.value] = ModuleRef(dotted)
            else:
                head = dotted.split(".", 1)[0]
                self.frame.env[head] = ModuleRef(head)

    def import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    name = alias.asname.name if alias.asname else alias.name
                    if isinstance(name, cst.Name):
                        self.frame.env[name.value] = UNKNOWN
            return
        module = _dotted(node.module)
        if module is None:
            return
        self.note_flavour(module)
        if isinstance(node.names, cst.ImportStar):
            if keras_names.flavour_of_module(module) is not None:
                self.star_modules.append(module)
            self.note_import(node, module, (), star=True)
            return
        names: list[tuple[str, str | None]] = []
        for alias in node.names:
            imported = _dotted(alias.name)
            asname = alias.asname.name if alias.asname else None
            if imported is None or (asname is not None and not isinstance(asname, cst.Name)):
                names = []
                break
            names.append((imported, asname.value if isinstance(asname, cst.Name) else None))
        else:
            self.note_import(node, module, tuple(names))
        for alias in node.names:
            imported = _dotted(alias.name)
            if imported is None:
                continue
            local = alias.asname.name if alias.asname else alias.name
            if isinstance(local, cst.Name):
                self.frame.env[local.value] = ModuleRef(f"{module}.{imported}")

    def note_import(
        self,
        node: cst.Import | cst.ImportFrom,
        module: str,
        names: tuple[tuple[str, str | None], ...],
        star: bool = False,
    ) -> None:
        """Keep an import of a Keras module (``keras_api.split`` knows its root) as a fact."""
        key = (id(node), module)
        if keras_api.split(module) is None or key in self._imports_seen:
            return
        self._imports_seen.add(key)
        self.keras_imports.append(
            KerasImport(module, self.anchor(node), names, star=star, guarded=self.guarded > 0)
        )

    def note_flavour(self, dotted: str) -> None:
        flavour = keras_names.flavour_of_module(dotted)
        if flavour is None and dotted in ("tensorflow", "tf_keras"):
            flavour = "tf_keras" if dotted == "tf_keras" else None
        if flavour is not None:
            self.flavours.add(flavour)

    # -- control flow ------------------------------------------------------------------

    def branches(
        self, suites: list[cst.BaseSuite], node: cst.CSTNode, fallthrough: bool = True
    ) -> None:
        """Walk alternative suites from the same state; keep what all of them agree on."""
        start = dict(self.frame.env)
        results: list[dict[str, Value]] = []
        # The attributes of ``self`` take part like names do.
        instances = {id(v): v for _, v in self.instances_in_scope()}
        held = {key: (dict(inst.attrs), inst.opaque) for key, inst in instances.items()}
        outcomes: dict[int, list[tuple[dict[str, Value], bool]]] = {key: [] for key in held}
        self.frame.level += 1
        try:
            for suite in suites:
                self.frame.env.clear()
                self.frame.env.update(start)
                for key, inst in instances.items():
                    inst.attrs, inst.opaque = dict(held[key][0]), held[key][1]
                self.suite(suite)
                results.append(dict(self.frame.env))
                for key, inst in instances.items():
                    outcomes[key].append((inst.attrs, inst.opaque))
        finally:
            self.frame.level -= 1
        if fallthrough:
            results.append(start)
            for key in held:
                outcomes[key].append(held[key])
        merged = dict(start)
        for name in set().union(*results):
            values = [env.get(name, UNKNOWN) for env in results]
            first = values[0]
            merged[name] = first if all(_same(first, v) for v in values[1:]) else UNKNOWN
        self.frame.env.clear()
        self.frame.env.update(merged)
        for key, inst in instances.items():
            inst.attrs = _merge_attrs([attrs for attrs, _ in outcomes[key]])
            inst.opaque = any(opaque for _, opaque in outcomes[key])

    def if_(self, node: cst.If) -> None:
        if _is_main_guard(node.test):
            self.suite(node.body)
            return
        self.eval(node.test)
        suites: list[cst.BaseSuite] = [node.body]
        orelse: cst.If | cst.Else | None = node.orelse
        while isinstance(orelse, cst.If):
            self.eval(orelse.test)
            suites.append(orelse.body)
            orelse = orelse.orelse
        if isinstance(orelse, cst.Else):
            suites.append(orelse.body)
        self.branches(suites, node, fallthrough=not isinstance(orelse, cst.Else))

    def for_(self, node: cst.For) -> None:
        iterable = self.eval(node.iter)
        items = _unrollable(iterable)
        if items is not None and not scan_block(node.body)[1]:
            # A short literal loop (``for batch_size in [16, 32]``): walk it once per value.
            for item in items:
                self.assign(node.target, item, node)
                self.suite(node.body)
            if node.orelse is not None:
                self.suite(node.orelse.body)
            return
        iterations: Num | None = None
        loop_value: Value = UNKNOWN
        if isinstance(iterable, RangeV):
            iterations = iterable.count
            if isinstance(node.target, cst.Name):
                loop_value = Sym(node.target.value, 0)
        elif isinstance(iterable, ListV) and iterable.count is not None:
            iterations = iterable.count
        elif isinstance(iterable, TupleV):
            iterations = Num(len(iterable.items))
        elif isinstance(iterable, ArrayV) and iterable.samples is not None:
            iterations = iterable.samples
        self.loop_body(node, node.body, iterations, node.target, loop_value)
        if node.orelse is not None:
            self.suite(node.orelse.body)

    def while_(self, node: cst.While) -> None:
        self.eval(node.test)
        self.loop_body(node, node.body, None, None, UNKNOWN)
        if node.orelse is not None:
            self.suite(node.orelse.body)

    def loop_body(
        self,
        node: cst.CSTNode,
        body: cst.BaseSuite,
        iterations: Num | None,
        target: cst.BaseExpression | None,
        loop_value: Value,
    ) -> None:
        assigned, jumps = scan_block(body)
        for name in assigned:
            self.frame.env[name] = UNKNOWN
        self.forget_attributes(body)
        if target is not None:
            self.assign(target, loop_value, node)
        certain = not jumps and iterations is not None and iterations.value >= 1
        self.frame.loops.append(Loop(iterations, certain))
        try:
            self.suite(body)
        finally:
            self.frame.loops.pop()
        for name in assigned:
            self.frame.env[name] = UNKNOWN
        self.forget_attributes(body)
        if target is not None:
            self.assign(target, UNKNOWN, node)

    def try_(self, node: cst.Try | cst.TryStar) -> None:
        guard = 1 if node.handlers else 0
        self.guarded += guard
        try:
            self.suite(node.body)
        finally:
            self.guarded -= guard
        handlers = [handler.body for handler in node.handlers]
        if node.orelse is not None:
            handlers.append(node.orelse.body)
        if handlers:
            self.branches(handlers, node)
        if node.finalbody is not None:
            self.suite(node.finalbody.body)

    # -- classes -----------------------------------------------------------------------

    def class_def(self, node: cst.ClassDef) -> None:
        """Bind a class: walk its body for class attributes, keep its methods for later."""
        bases: list[ClassV] = []
        known = True
        callback = False
        for arg in node.bases:
            value = self.eval(arg.value)
            if isinstance(value, ClassV):
                bases.append(value)
                known = known and value.known_bases
                callback = callback or value.callback
            elif isinstance(value, ModuleRef) and keras_names.is_callback_base(value.path):
                callback = True
            elif not (value == Builtin("object") or value == ModuleRef("abc.ABC")):
                known = False
        for keyword in node.keywords:
            value = self.eval(keyword.value)
            metaclass = keyword.keyword is not None and keyword.keyword.value == "metaclass"
            if not (metaclass and value == ModuleRef("abc.ABCMeta")):
                known = False
        defined_at = self.seq if self.frame.env is self.globals else 0
        cls = ClassV(
            node.name.value,
            node,
            bases=tuple(bases),
            known_bases=known,
            callback=callback,
            defined_at=defined_at,
        )
        for base in reversed(bases):
            cls.summaries.update(base.summaries)
        outer = self.frame
        self.frame = Frame(cls.namespace, level=outer.level, loops=list(outer.loops))
        try:
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
            for statement in body:
                if isinstance(statement, cst.FunctionDef):
                    self.method_def(cls, statement)
                else:
                    self.block([statement])
        finally:
            self.frame = outer
        self.bind(node.name.value, cls, node)
        self.deferred_classes.append(cls)

    def method_def(self, cls: ClassV, fn: cst.FunctionDef) -> None:
        self.tops[id(fn)] = self.top
        name = fn.name.value
        cls.namespace.pop(name, None)
        cls.methods.pop(name, None)
        cls.opaque.discard(name)
        decorators = [_dotted(d.decorator) for d in fn.decorators]
        static = decorators == ["staticmethod"]
        cls.summaries[name] = classes.summarize(fn, cls.name, static=static)
        followable = fn.asynchronous is None and ("yield" not in self.text or not is_generator(fn))
        if followable and static:
            # A static method is a function: followed where it is called with arguments.
            cls.namespace[name] = FunctionV(fn, cls.defined_at)
        elif followable and not decorators and classes.self_name(fn) is not None:
            cls.methods[name] = fn
            return
        else:
            # A class or property method, a coroutine or a generator: unknown where it is
            # used, walked on its own with unknown arguments.
            cls.opaque.add(name)
        self.deferred.append((fn, cls.defined_at))

    def analyse_class(self, cls: ClassV) -> None:
        """Walk the methods of a class, each once, with what ``self`` holds when it runs.

        ``__init__`` runs first, following the methods it calls. Every other method may run
        at any time after it, in any order, so each starts from the state ``__init__``
        leaves, except for what another method could change: an attribute that another
        method rebinds is unknown, and a model that another method changes (adds layers,
        compiles, hands to unknown code) is seen as escaped (its layers and batch size stay
        known, what is called on it later does not). One exception: an attribute that
        ``__init__`` leaves unset or None and exactly one other method binds holds, for the
        others, what that method leaves (calling methods on None would fail anyway).
        With a base class shapelint cannot see, whose methods could change anything, the
        other methods see nothing of ``__init__``'s state.
        """
        init = cls.method("__init__")
        inst = InstanceV(cls)
        called: set[str] = set()
        if init is not None:
            outer_calls = self.method_calls
            self.method_calls = []
            try:
                self.run_method(cls, init, inst)
                called = set(self.method_calls)
            finally:
                self.method_calls = outer_calls
        after_init = dict(inst.attrs)
        opaque = inst.opaque or not cls.known_bases
        own = [name for name in cls.methods if name != "__init__" and name not in called]
        entries = [name for name in cls.summaries if name != "__init__" and name not in called]
        effects = {name: classes.closure(cls.summaries, name) for name in entries}

        def rebinders(attr: str, me: str) -> list[str]:
            return [
                name
                for name, effect in effects.items()
                if name != me and (attr in effect.rebinds or effect.escapes)
            ]

        def changers(attr: str, me: str, besides: str = "") -> bool:
            return any(
                name not in (me, besides)
                and (attr in effect.changes or attr in effect.rebinds or effect.escapes)
                for name, effect in effects.items()
            )

        # Attributes __init__ leaves unset or None that exactly one other method binds.
        binder: dict[str, str] = {}
        rebound = set().union(*(effect.rebinds for effect in effects.values()))
        for attr in sorted(rebound):
            if _placeholder(after_init.get(attr, cls.lookup(attr))):
                names = rebinders(attr, "")
                if len(names) == 1:
                    binder[attr] = names[0]
        order = [name for name in own if name in binder.values()]
        order += [name for name in own if name not in order]
        left: dict[str, dict[str, Value]] = {}
        for name in order:
            fn = cls.methods[name]
            attrs: dict[str, Value] = {}
            overrides: dict[str, Value] = {}
            if not opaque:
                keys = set(after_init) | set(binder)
                keys |= {k for k, v in cls.namespace.items() if isinstance(v, ModelV)}
                for attr in sorted(keys):
                    others = rebinders(attr, name)
                    source = binder.get(attr, "")
                    value: Value | None
                    if not others:
                        value = after_init[attr] if attr in after_init else None
                    elif others == [source] and source in left:
                        value = left[source].get(attr, UNKNOWN)
                    else:
                        value = UNKNOWN
                    if value is None:
                        # A class attribute: methods see it through self and the class.
                        found = cls.lookup(attr)
                        if isinstance(found, ModelV):
                            overrides[attr] = _view(found, changers(attr, name, source))
                        continue
                    attrs[attr] = _view(value, changers(attr, name, source))
            saved = {key: cls.namespace[key] for key in overrides}
            cls.namespace.update(overrides)
            try:
                state = InstanceV(cls, attrs, opaque=opaque)
                self.run_method(cls, fn, state)
            finally:
                cls.namespace.update(saved)
            if name in binder.values():
                left[name] = dict(state.attrs)

    def run_method(self, cls: ClassV, fn: cst.FunctionDef, inst: InstanceV) -> None:
        """Walk a method on its own: self is ``inst``, the other arguments are unknown."""
        hidden = frozenset(
            name for name, seqs in self.binds.items() if len(seqs) > 1 and seqs[-1] > cls.defined_at
        )
        params = fn.params
        env: dict[str, Value] = {}
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            env[param.name.value] = UNKNOWN
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = UNKNOWN
        first = classes.self_name(fn)
        if first is not None:
            env[first] = inst
        outer, sites, top = self.frame, self.sites, self.top
        self.frame = Frame(env, hidden=hidden)
        self.sites = ()
        self.top = self.tops.get(id(fn))
        self.call_stack.append(fn)
        self.instances.append(inst)
        try:
            self.suite(fn.body)
        finally:
            self.instances.pop()
            self.call_stack.pop()
            self.frame, self.sites, self.top = outer, sites, top

    def method_call(self, inst: InstanceV, method: str, node: cst.Call) -> Value:
        """``self.method(...)``: follow a method of the class with self and the arguments."""
        func = node.func
        assert isinstance(func, cst.Attribute)
        held = inst.attrs.get(method)
        if held is None and isinstance(inst.cls.lookup(method), FunctionV):
            held = inst.cls.lookup(method)  # a static method
        fn = inst.cls.method(method) if held is None else None
        args = self.args(node)
        if held is not None:
            return self.call_value(held, args, node)
        if fn is None:
            # Not a method shapelint follows (inherited from an unknown base, decorated):
            # it may change anything self holds.
            _escape(inst)
            for value in [*args.positional, *args.keywords.values()]:
                _escape(value)
            return UNKNOWN
        if self.method_calls is not None:
            self.method_calls.append(method)
        bound = Args(
            positional=[inst, *args.positional],
            keywords=args.keywords,
            positional_nodes=[func.value, *args.positional_nodes],
            keyword_nodes=args.keyword_nodes,
            opaque=args.opaque,
        )
        self.instances.append(inst)
        try:
            return self.call_function(FunctionV(fn, inst.cls.defined_at), bound, node, method)
        finally:
            self.instances.pop()

    def super_call(self, method: str, node: cst.Call) -> Value:
        """``super().method(...)``: a base class's method, followed where it is the script's."""
        args = self.args(node)
        inst = self.instances[-1] if self.instances else None
        if inst is not None:
            fn: cst.FunctionDef | None = None
            for cls in inst.cls.mro()[1:]:
                if method in cls.methods:
                    fn = cls.methods[method]
                    break
            if fn is not None:
                bound = Args(
                    positional=[inst, *args.positional],
                    keywords=args.keywords,
                    positional_nodes=[node, *args.positional_nodes],
                    keyword_nodes=args.keyword_nodes,
                    opaque=args.opaque,
                )
                return self.call_function(FunctionV(fn, inst.cls.defined_at), bound, node, method)
            if not inst.cls.known_bases:
                _escape(inst)
        for value in [*args.positional, *args.keywords.values()]:
            _escape(value)
        return UNKNOWN

    def call_value(self, callee: Value, args: Args, node: cst.Call) -> Value:
        """Call what an attribute holds (``self.encoder(x)``)."""
        if isinstance(callee, FunctionV):
            return self.call_function(callee, args, node)
        if isinstance(callee, LayerV):
            return keras_calls.call_layer(callee, args)
        if isinstance(callee, ModuleRef):
            return self.library_call(callee.path, args, node)
        for value in [*args.positional, *args.keywords.values()]:
            _escape(value)
        return UNKNOWN

    def call_function(
        self, fn: FunctionV, args: Args, call: cst.Call | None = None, name: str = ""
    ) -> Value:
        """Follow a call to a function of the script with the argument values it was given."""
        node = fn.node
        env = None
        if (
            not args.opaque
            and len(self.call_stack) < _MAX_CALL_DEPTH
            and node not in self.call_stack
        ):
            env = self.bind_params(node.params, args)
        if env is None:
            # Not followed: the function may change what it is given.
            for value in [*args.positional, *args.keywords.values()]:
                _escape(value)
            return UNKNOWN
        self.inlined.add(id(node))
        outer, sites = self.frame, self.sites
        if call is not None:
            shown = tuple((k, text) for k, v in env.items() if (text := _shown(v)) is not None)
            site = CallSite(self.anchor(call), name or node.name.value, shown)
            self.sites = (site, *sites)
        self.frame = Frame(env, returns=[])
        self.call_stack.append(node)
        top, self.top = self.top, self.tops.get(id(node))
        try:
            self.suite(node.body)
            returns = self.frame.returns or []
            if not self.frame.done:
                returns.append(Const(None))
        finally:
            self.call_stack.pop()
            self.frame, self.sites, self.top = outer, sites, top
        first = returns[0]
        return first if all(_same(first, other) for other in returns[1:]) else UNKNOWN

    def bind_params(self, params: cst.Parameters, args: Args) -> dict[str, Value] | None:
        """Parameter values for a call, or None if the call does not fit the signature."""
        env: dict[str, Value] = {}
        positional = [*params.posonly_params, *params.params]
        if len(args.positional) > len(positional) and not isinstance(params.star_arg, cst.Param):
            return None
        for i, param in enumerate(positional):
            name = param.name.value
            if i < len(args.positional):
                env[name] = args.positional[i]
            elif name in args.keywords and param not in params.posonly_params:
                env[name] = args.keywords[name]
            elif param.default is not None:
                env[name] = self.eval(param.default)
            else:
                return None
        for param in params.kwonly_params:
            name = param.name.value
            if name in args.keywords:
                env[name] = args.keywords[name]
            elif param.default is not None:
                env[name] = self.eval(param.default)
            else:
                return None
        known = {p.name.value for p in [*positional, *params.kwonly_params]}
        if any(k not in known for k in args.keywords) and not isinstance(
            params.star_kwarg, cst.Param
        ):
            return None
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = UNKNOWN
        return env

    def function_body(self, fn: cst.FunctionDef, defined_at: int) -> None:
        """Walk a function after the module, seeing the module's final globals, except
        those rebound after the definition: the function may run before the rebinding."""
        hidden = frozenset(
            name for name, seqs in self.binds.items() if len(seqs) > 1 and seqs[-1] > defined_at
        )
        env: dict[str, Value] = {}
        params = fn.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            env[param.name.value] = UNKNOWN
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = UNKNOWN
        outer, top = self.frame, self.top
        self.frame = Frame(env, hidden=hidden)
        self.top = self.tops.get(id(fn))
        try:
            self.suite(fn.body)
        finally:
            self.frame, self.top = outer, top

    # -- expressions -------------------------------------------------------------------

    def eval(self, node: cst.BaseExpression) -> Value:
        # Where this expression lives, for anchors made from it later (freezing a model).
        self.node_tops[id(node)] = self.top
        # Exact classes (none has subclasses): libcst's nodes are ABCs, slow in isinstance.
        if type(node) is cst.Name:
            if node.value in ("True", "False", "None"):
                return Const({"True": True, "False": False, "None": None}[node.value])
            return self.lookup(node.value)
        if type(node) is cst.Integer:
            return Num(literals.integer(node))
        if type(node) is cst.Float:
            return Num(literals.float_(node))
        if type(node) is cst.SimpleString:
            value = literals.string(node)
            return Const(value) if isinstance(value, str) else UNKNOWN
        if type(node) is cst.Attribute:
            return self.attribute(self.eval(node.value), node.attr.value)
        if type(node) is cst.Call:
            return self.call(node)
        if type(node) is cst.Tuple:
            items = self.elements(node.elements)
            return TupleV(items) if items is not None else UNKNOWN
        if type(node) is cst.List:
            items = self.elements(node.elements)
            if items is None:
                return ListV(None, None)
            return ListV(
                Num(len(items)),
                common_shape(items),
                list(items),
                level=self.frame.level,
                loop_depth=len(self.frame.loops),
                fresh=not items,
            )
        if type(node) is cst.BinaryOperation:
            left = self.eval(node.left)
            right = self.eval(node.right)
            op = _OPERATORS.get(type(node.operator))
            return self.arith(op, left, right, node.left, node.right) if op else UNKNOWN
        if type(node) is cst.UnaryOperation:
            operand = self.eval(node.expression)
            if isinstance(node.operator, cst.Minus) and isinstance(operand, Num):
                return Num(-operand.value, f"-{term(operand, None)}" if operand.how else "")
            if isinstance(node.operator, cst.Plus) and isinstance(operand, Num):
                return operand
            return UNKNOWN
        if type(node) is cst.Subscript:
            return self.subscript(node)
        if type(node) is cst.ListComp:
            return self.list_comp(node)
        if type(node) is cst.IfExp:
            self.eval(node.test)
            body, orelse = self.eval(node.body), self.eval(node.orelse)
            return body if _same(body, orelse) else UNKNOWN
        if type(node) is cst.Comparison or type(node) is cst.BooleanOperation:
            for child in children(node):
                if isinstance(child, cst.BaseExpression):
                    self.eval(child)
            return UNKNOWN
        if type(node) is cst.Dict or type(node) is cst.Set:
            for child in children(node):
                if isinstance(child, (cst.DictElement, cst.Element)):
                    for part in children(child):
                        if isinstance(part, cst.BaseExpression):
                            self.eval(part)
            return UNKNOWN
        if type(node) is cst.NamedExpr:
            named = self.eval(node.value)
            self.assign(node.target, named, node)
            return named
        if type(node) is cst.FormattedString or type(node) is cst.ConcatenatedString:
            for child in children(node):
                if isinstance(child, cst.FormattedStringExpression):
                    self.eval(child.expression)
            return UNKNOWN
        return UNKNOWN

    def elements(self, elements: object) -> tuple[Value, ...] | None:
        values: list[Value] = []
        opaque = False
        for element in elements:  # type: ignore[attr-defined]
            value = self.eval(element.value)
            if isinstance(element, cst.StarredElement):
                opaque = True
                _escape(value)
            values.append(value)
        return None if opaque else tuple(values)

    def label_of(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Call) and len(node.args) == 1:
            func = node.func
            if isinstance(func, cst.Name) and func.value == "len":
                inner = self.label_of(node.args[0].value)
                return f"len({inner})" if inner else None
        if isinstance(node, cst.Attribute):
            base = self.label_of(node.value)
            return f"{base}.{node.attr.value}" if base else None
        if isinstance(node, cst.Subscript):
            text = self.source(node)
            return text if len(text) <= 40 else None
        return None

    def arith(
        self,
        op: str,
        left: Value,
        right: Value,
        left_node: cst.BaseExpression | None,
        right_node: cst.BaseExpression | None,
    ) -> Value:
        if isinstance(left, Num) and isinstance(right, Num):
            result = binop(op, left.value, right.value)
            if result is None:
                return UNKNOWN
            left_label = self.label_of(left_node) if left_node is not None else None
            right_label = self.label_of(right_node) if right_node is not None else None
            how = f"{term(left, left_label)} {op} {term(right, right_label)}"
            return Num(result, combine(how))
        if isinstance(left, Sym) and isinstance(right, Num) and isinstance(right.value, int):
            if op == "+":
                return Sym(left.var, left.offset + right.value)
            if op == "-":
                return Sym(left.var, left.offset - right.value)
        if isinstance(left, Num) and isinstance(right, Sym) and isinstance(left.value, int):
            if op == "+":
                return Sym(right.var, right.offset + left.value)
        if isinstance(left, Sym) and isinstance(right, Sym) and op == "-" and left.var == right.var:
            return Num(left.offset - right.offset)
        if isinstance(left, TupleV) and isinstance(right, TupleV) and op == "+":
            return TupleV(left.items + right.items)
        if isinstance(left, ArrayV) or isinstance(right, ArrayV):
            return numpy_calls.elementwise(left, right)
        if isinstance(left, (Num, Scalar)) and isinstance(right, (Num, Scalar)):
            return _scalar_arith(op, left, right)
        return UNKNOWN

    def attribute(self, base: Value, attr: str) -> Value:
        if isinstance(base, ModuleRef):
            return ModuleRef(f"{base.path}.{attr}")
        if isinstance(base, InstanceV):
            if attr in base.attrs:
                return base.attrs[attr]
            if base.opaque:
                return UNKNOWN
            found = base.cls.lookup(attr)
            if found is not None:
                return found
            if attr == "model" and base.cls.callback:
                # Keras sets a callback's model before it calls any of its methods.
                return SomeModelV()
            return UNKNOWN
        if isinstance(base, ClassV):
            found = base.lookup(attr)
            if found is None:
                return UNKNOWN
            inside = any(base in inst.cls.mro() for inst in self.instances)
            if not inside and _changed_by_methods(base, attr):
                # Outside its methods, a class attribute that they change is unknown.
                return UNKNOWN
            return found
        if isinstance(base, ArrayV):
            return numpy_calls.array_attribute(base, attr)
        if isinstance(base, FrameV):
            return pandas_calls.attribute(base, attr)
        return UNKNOWN

    def subscript(self, node: cst.Subscript) -> Value:
        base = self.eval(node.value)
        parts: list[Value | tuple[Value, Value, Value]] = []
        for element in node.slice:
            index = element.slice
            if isinstance(index, cst.Slice):
                parts.append(
                    (
                        self.eval(index.lower) if index.lower is not None else Const(None),
                        self.eval(index.upper) if index.upper is not None else Const(None),
                        self.eval(index.step) if index.step is not None else Const(None),
                    )
                )
            elif isinstance(index, cst.Index) and isinstance(index.value, cst.Ellipsis):
                parts.append(Const("..."))
            elif isinstance(index, cst.Index):
                parts.append(self.eval(index.value))
            else:
                return UNKNOWN
        if isinstance(base, ArrayV):
            return numpy_calls.index_array(base, parts)
        if isinstance(base, FrameV) and len(parts) == 1:
            return pandas_calls.subscript(base, parts[0])
        if isinstance(base, IndexerV):
            return pandas_calls.indexer_subscript(base, list(parts))
        if isinstance(base, NpzV) and len(parts) == 1 and not isinstance(parts[0], tuple):
            return file_calls.npz_member(base, parts[0])
        if base is UNKNOWN and numpy_calls.whole_batches(parts):
            return ArrayV(None, None, multiple_of=numpy_calls.whole_batches(parts))
        if isinstance(base, (TupleV, ListV)) and len(parts) == 1:
            return builtin_calls.index_sequence(base, parts[0])
        return UNKNOWN

    def list_comp(self, node: cst.ListComp) -> Value:
        comp = node.for_in
        iterable = self.eval(comp.iter)
        if comp.ifs or comp.inner_for_in is not None or not isinstance(comp.target, cst.Name):
            return ListV(None, None)
        count: Num | None = None
        loop_value: Value = UNKNOWN
        if isinstance(iterable, RangeV):
            count = iterable.count
            loop_value = Sym(comp.target.value, 0)
        elif isinstance(iterable, ListV):
            count = iterable.count
        elif isinstance(iterable, ArrayV):
            count = iterable.samples
        name = comp.target.value
        saved = self.frame.env.get(name, None)
        had = name in self.frame.env
        self.frame.env[name] = loop_value
        try:
            element = self.eval(node.elt)
        finally:
            if had:
                self.frame.env[name] = saved  # type: ignore[assignment]
            else:
                del self.frame.env[name]
        return ListV(count, element_shape(element))

    # -- calls -------------------------------------------------------------------------

    def args(self, node: cst.Call) -> Args:
        args = Args()
        for arg in node.args:
            value = self.eval(arg.value)
            if arg.star:
                args.opaque = True
                _escape(value)
            elif arg.keyword is not None:
                args.keywords[arg.keyword.value] = value
                args.keyword_nodes[arg.keyword.value] = arg.value
            else:
                args.positional.append(value)
                args.positional_nodes.append(arg.value)
        return args

    def call(self, node: cst.Call) -> Value:
        func = node.func
        receiver: Value = UNKNOWN
        method = ""
        if isinstance(func, cst.Attribute):
            if _is_super(func.value):
                return self.super_call(func.attr.value, node)
            receiver = self.eval(func.value)
            method = func.attr.value
            if isinstance(receiver, InstanceV):
                return self.method_call(receiver, method, node)
            callee: Value = UNKNOWN
            if isinstance(receiver, ModuleRef):
                callee = ModuleRef(f"{receiver.path}.{method}")
            elif isinstance(receiver, ClassV):
                callee = self.attribute(receiver, method)
        else:
            callee = self.eval(func)
        args = self.args(node)
        if isinstance(callee, ModuleRef):
            return self.library_call(callee.path, args, node)
        if isinstance(callee, Builtin):
            if callee.name in ("setattr", "delattr", "vars"):
                for value in args.positional[:1]:
                    _escape(value)
            return builtin_calls.call(self, callee.name, args, node)
        if isinstance(callee, FunctionV):
            return self.call_function(callee, args, node)
        if method:
            if isinstance(receiver, ModelV):
                return keras_calls.model_method(self, receiver, method, args, node)
            if isinstance(receiver, SomeModelV):
                return keras_calls.some_model_method(self, receiver, method, args, node)
            if isinstance(receiver, ArrayV):
                if method == "resize" and isinstance(func, cst.Attribute):
                    # ndarray.resize changes the array in place.
                    self.assign(func.value, UNKNOWN, node)
                    return UNKNOWN
                return numpy_calls.array_method(receiver, method, args)
            if isinstance(receiver, ListV):
                return builtin_calls.list_method(self, receiver, method, args)
            if isinstance(receiver, RngV):
                return numpy_calls.rng_method(method, args)
            if isinstance(receiver, ScalerV):
                return _scaler_method(receiver, method, args)
            if isinstance(receiver, DatasetV):
                result = data_calls.dataset_method(receiver, method, args)
                if isinstance(result, DatasetV) and result.batch is not None:
                    if method in ("batch", "padded_batch") and receiver.batch is None:
                        result = replace(result, batch_anchor=self.anchor(node))
                    elif result.batch_anchor is None and result.batch is receiver.batch:
                        result = replace(result, batch_anchor=receiver.batch_anchor)
                return result
            if isinstance(receiver, FrameV):
                return pandas_calls.method(receiver, method, args)
        if isinstance(callee, LayerV):
            return keras_calls.call_layer(callee, args)
        for value in [*args.positional, *args.keywords.values()]:
            _escape(value)
        return UNKNOWN

    def library_call(self, path: str, args: Args, node: cst.Call) -> Value:
        helper = keras_names.data_helper(path)
        if helper is not None:
            self.flavours.add(helper[1])
            if helper[0] == "TimeseriesGenerator":
                # Gone from `keras` 3; tensorflow.keras (Keras 3 too, on TF 2.16+) still has
                # it, in its legacy preprocessing module (measured on TF 2.21).
                if helper[1] == "keras":
                    self.api_uses.append(
                        ApiUse("utility", "TimeseriesGenerator", self.anchor(node), keywords=())
                    )
                return data_calls.timeseries_generator(args)
            return data_calls.timeseries_dataset(args)
        keras = keras_names.canonical(path)
        if keras is None:
            self.note_keras_call(path, args, node)
            targets = numpy_calls.targets_call(keras_api.split(path), path, args)
            if targets is not None:
                return targets
        if keras is not None:
            name, flavour = keras
            self.flavours.add(flavour)
            if name in keras_names.REMOVED_LAYERS:
                attribute = isinstance(node.func, cst.Attribute)
                self.api_uses.append(ApiUse("layer", name, self.anchor(node), attribute=attribute))
            value = keras_calls.construct(self, name, args, node)
            if isinstance(value, LayerV) and flavour in ("keras", "tf.keras", "tf_keras"):
                self.keras_calls.append(
                    keras_calls.keras_call(self, f"layers.{name}", flavour, args, node)
                )
            return value
        if path == "numpy.load":
            return file_calls.np_load(self, args)
        if path in ("numpy.loadtxt", "numpy.genfromtxt"):
            return file_calls.loadtxt(self, args, genfromtxt=path.endswith("genfromtxt"))
        if path == "pandas.read_csv":
            return file_calls.read_csv(self, args)
        if path.startswith("numpy."):
            return numpy_calls.call(path[len("numpy.") :], args)
        if path.startswith("sklearn.preprocessing.") and path.rsplit(".", 1)[1] in _SCALERS:
            return ScalerV()
        if path == "sklearn.model_selection.train_test_split":
            return sklearn_calls.train_test_split(args)
        if path.startswith("tensorflow.") and path.endswith("data.Dataset.from_tensor_slices"):
            return data_calls.from_tensor_slices(args)
        if path in ("math.ceil", "math.floor", "math.trunc"):
            return builtin_calls.call(self, path[5:], args, node)
        for value in [*args.positional, *args.keywords.values()]:
            _escape(value)
        return UNKNOWN

    # -- facts -------------------------------------------------------------------------

    def note_keras_call(self, path: str, args: Args, node: cst.Call) -> None:
        """Keep the keywords of a call of a Keras callable in a namespace other than the
        layers and models (``keras.optimizers.Adam``), for the rules on keywords."""
        found = keras_api.split(path)
        if found is None or "." not in found[1]:
            return
        api, qualname = found
        self.keras_calls.append(keras_calls.keras_call(self, qualname, api, args, node))

    def record(self, call: TrainCall) -> None:
        self.calls.append(call)


def _scaler_method(scaler: ScalerV, method: str, args: Args) -> Value:
    if method == "fit":
        return scaler
    if method in ("fit_transform", "transform", "inverse_transform"):
        data = args.get("X", 0)
        if isinstance(data, ArrayV):
            return ArrayV(data.samples, data.dims)
        if isinstance(data, FrameV):
            return numpy_calls.array_from(data)
    return UNKNOWN


_DECLARATION = re.compile(r"#\s*shapelint:\s*samples\s*=\s*(\d+)")


def declarations(code: str) -> dict[int, int]:
    """``# shapelint: samples=1735`` comments, by line."""
    found: dict[int, int] = {}
    for number, line in enumerate(code.splitlines(), start=1):
        match = _DECLARATION.search(line)
        if match:
            found[number] = int(match.group(1))
    return found


def _declare(value: Value, samples: Num) -> Value:
    """A value whose sample count the user declared."""
    if isinstance(value, ArrayV):
        return replace(value, samples=samples, multiple_of=None)
    if isinstance(value, DatasetV) and value.batch is None:
        return replace(value, samples=samples)
    if isinstance(value, FrameV):
        return replace(value, rows=samples)
    return ArrayV(samples, None)


def _scalar_arith(op: str, left: Num | Scalar, right: Num | Scalar) -> Scalar:
    """Unknown numbers keep what is certain: ``n // k`` is whole, ``whole * k`` a multiple of k."""

    def whole(v: Num | Scalar) -> bool:
        return v.integral if isinstance(v, Scalar) else v.int_value is not None

    if op == "//":
        return Scalar(integral=True)
    if op == "*":
        for a, b in ((left, right), (right, left)):
            if isinstance(a, Scalar) and a.integral and isinstance(b, Num) and b.int_value:
                return Scalar(integral=True, multiple_of=abs(b.int_value))
    if op in ("+", "-", "*", "%") and whole(left) and whole(right):
        return Scalar(integral=True)
    return Scalar()


def _unrollable(iterable: Value) -> list[Value] | None:
    """The values of a short loop whose items are all known, or None."""
    if isinstance(iterable, TupleV):
        items: list[Value] | None = list(iterable.items)
    elif isinstance(iterable, ListV) and iterable.items is not None:
        items = list(iterable.items)
    elif isinstance(iterable, RangeV) and iterable.count is not None:
        count, start, step = iterable.count.int_value, iterable.start, iterable.step
        if count is None or start is None or step is None or count > _MAX_UNROLL // 2:
            return None
        return [Num(start + k * step) for k in range(count)]
    else:
        return None
    if items is None or len(items) > _MAX_UNROLL:
        return None
    return items


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left = test.left
    right = test.comparisons[0].comparator
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    names = [x for x in (left, right) if isinstance(x, cst.Name)]
    strings = [x for x in (left, right) if isinstance(x, cst.SimpleString)]
    return (
        len(names) == 1
        and names[0].value == "__name__"
        and len(strings) == 1
        and strings[0].evaluated_value == "__main__"
    )


def _same(a: Value, b: Value) -> bool:
    if a is b:
        return True
    if isinstance(a, Num) and isinstance(b, Num):
        return a.value == b.value
    if isinstance(a, (Const, ModuleRef, Builtin, Sym)) and type(a) is type(b):
        return a == b
    if isinstance(a, ArrayV) and isinstance(b, ArrayV):
        return (
            a.samples is not None
            and b.samples is not None
            and a.samples.value == b.samples.value
            and a.dims == b.dims
        )
    return False


def _escape(value: Value) -> None:
    """A value handed to code we cannot see may be changed there, and so may what it holds."""
    todo = [value]
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ListV):
            current.count = None
            todo.extend(current.items or ())
        elif isinstance(current, ModelV):
            current.escape()
        elif isinstance(current, TupleV):
            todo.extend(current.items)
        elif isinstance(current, InstanceV):
            # It may rebind any attribute, and change what they hold.
            todo.extend(current.attrs.values())
            current.attrs = {}
            current.opaque = True


def _is_super(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "super"
    )


def _shown(value: Value) -> str | None:
    """A parameter's value as a message shows it, or None where it is not a plain value."""
    if isinstance(value, Num):
        return str(value.value)
    if isinstance(value, Const):
        return repr(value.value)
    if isinstance(value, TupleV):
        items = [_shown(item) for item in value.items]
        if all(item is not None for item in items):
            inner = ", ".join(item for item in items if item is not None)
            return f"({inner},)" if len(items) == 1 else f"({inner})"
    if isinstance(value, ArrayV) and value.samples is not None:
        return f"<{value.samples.value} samples>"
    return None


def _placeholder(value: Value | None) -> bool:
    """Unset, or None: a value no method could use as a model."""
    return value is None or (isinstance(value, Const) and value.value is None)


def _view(value: Value, changed: bool) -> Value:
    """What one method sees of a value self holds: a model of its own, escaped when another
    method may change it first."""
    if isinstance(value, ModelV):
        twin = value.copy()
        if changed:
            twin.escape()
        return twin
    return value


def _merge_attrs(outcomes: list[dict[str, Value]]) -> dict[str, Value]:
    """The attributes of self after alternative branches: what they all agree on."""
    merged: dict[str, Value] = {}
    for attr in set().union(*outcomes):
        values = [attrs.get(attr, UNKNOWN) for attrs in outcomes]
        first = values[0]
        merged[attr] = first if all(_same(first, v) for v in values[1:]) else UNKNOWN
    return merged


def _changed_by_methods(cls: ClassV, attr: str) -> bool:
    return any(
        attr in summary.rebinds or attr in summary.changes or summary.escapes
        for c in cls.mro()
        for summary in c.summaries.values()
    )
