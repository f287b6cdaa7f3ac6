"""The abstract values extraction computes while it walks a script.

These live only inside extraction; rules see the frozen facts built from them.
Anything not modelled here evaluates to ``UNKNOWN``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from shapelint.facts import UNKNOWN, Anchor, Classes, FixedBatch, Num, Shape, Unknown

if TYPE_CHECKING:
    import libcst as cst

    from shapelint.extract.classes import Summary


@dataclass(frozen=True)
class ModuleRef:
    """A module or an object inside one, by qualified name (``numpy.random.rand``)."""

    path: str


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Const:
    """A string, a bool or None."""

    value: str | bool | None


@dataclass(frozen=True)
class TupleV:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class Sym:
    """A loop index plus a constant: ``i + window`` inside ``for i in range(...)``."""

    var: str
    offset: int


@dataclass(frozen=True)
class RangeV:
    count: Num | None
    start: int | None = None
    step: int | None = None


@dataclass(eq=False)
class FunctionV:
    """A function defined in the script, which calls can follow with known arguments."""

    node: cst.FunctionDef
    defined_at: int


@dataclass(frozen=True)
class ArrayV:
    """An array: ``samples`` along axis 0 and the per-sample ``dims`` (None if rank unknown)."""

    samples: Num | None
    dims: Shape | None
    label: str = ""
    anchor: Anchor | None = None
    # Known to hold a multiple of this many samples, even when ``samples`` is unknown.
    multiple_of: int | None = None
    # Targets: one-hot rows or integer labels, and how many classes.
    classes: Classes | None = None

    def relabel(self, label: str, anchor: Anchor) -> ArrayV:
        return replace(self, label=label, anchor=anchor)


@dataclass(frozen=True)
class LossV:
    """An instance of a ``keras.losses`` class (``CategoricalCrossentropy()``), by its name."""

    name: str


@dataclass(eq=False)
class ListV:
    """A Python list. ``count`` is None once it cannot be followed; ``elem`` is the
    shape of every element (``()`` for scalars) when all agree. ``level`` and
    ``loop_depth`` say where the list was made, to judge later appends."""

    count: Num | None
    elem: Shape | None = ()
    items: list[Value] | None = None
    level: int = 0
    loop_depth: int = 0
    fresh: bool = False


@dataclass(eq=False)
class LayerV:
    kind: str
    node: cst.CSTNode
    args: dict[str, Value]
    positional: tuple[Value, ...] = ()
    inner: LayerV | None = None
    opaque: bool = False
    # Where it was constructed, with the calls that led there.
    anchor: Anchor | None = None
    # The keywords as the call spells them, where ``args`` reads a misspelt or Keras 1
    # keyword as the one the script certainly meant (``keras_api.meant``).
    spelled: tuple[str, ...] | None = None


@dataclass(eq=False)
class InputV:
    """The result of ``Input(...)``: a symbolic tensor with a batch size and a shape."""

    node: cst.CSTNode
    batch: FixedBatch
    shape: Shape | None


@dataclass(frozen=True)
class TensorV:
    """A functional-API tensor: the inputs it came from and the layers on its path."""

    inputs: tuple[InputV, ...]
    layers: tuple[LayerV, ...]
    linear: bool = True
    # The layer call that made it (None for an Input), and the tensors that call took.
    producer: LayerV | None = None
    sources: tuple[TensorV, ...] = ()


@dataclass(eq=False)
class ModelV:
    """A model being built. ``exact``: its entries are all the layers the script gives it.

    ``escaped_with`` is set when the model is handed to code shapelint cannot see: the
    number of entries it had then, and ``escaped_exact`` whether they were exact. What was
    built before stays true; what that code did to the model is unknown, so calls made
    after it see an inexact model, and layers added after it sit at unknown positions.
    """

    name: str
    api: str
    node: cst.CSTNode
    level: int
    serial: int = 0
    loop_depth: int = 0
    entries: list[tuple[LayerV | InputV, bool]] = field(default_factory=list)
    inputs: tuple[InputV, ...] = ()
    exact: bool = True
    # A functional model's graph: for each layer (by id), what its call takes, each an
    # Input or a layer; None when a layer is called more than once or a tensor is unknown.
    graph: dict[int, tuple[LayerV | InputV, ...]] | None = None
    loss: str | None = None
    optimizer: str | None = None
    compile_anchor: Anchor | None = None
    loss_is_string: bool = False
    anchor: Anchor | None = None
    escaped_with: int | None = None
    escaped_exact: bool = True
    # False for a copy of a model made for one method's view of ``self.model``: it joins
    # the facts' models only once that method adds layers to it.
    listed: bool = True

    @property
    def escaped(self) -> bool:
        return self.escaped_with is not None

    def escape(self) -> None:
        if self.escaped_with is None:
            self.escaped_with = len(self.entries)
            self.escaped_exact = self.exact

    def copy(self) -> ModelV:
        """A copy to change independently: one method's view of a model held by ``self``."""
        twin = replace(self, entries=list(self.entries), level=0, loop_depth=0, listed=False)
        return twin


@dataclass(frozen=True)
class SomeModelV:
    """A Keras model whose layers are unknown, such as a callback's ``self.model``.

    ``target_class`` is how Keras names its class ("Sequential", "Functional"), or "" when
    that is not known.
    """

    target_class: str = ""


@dataclass(eq=False)
class ClassV:
    """A class defined in the script: its namespace (class attributes) and its methods.

    ``known_bases``: every base is a class of the script with known bases, ``object``, or
    a Keras callback; code shapelint cannot see (an unknown base's methods) could otherwise
    change the attributes of ``self`` at any time. ``callback``: a subclass of Keras's
    ``Callback``, whose ``self.model`` Keras sets to the model being trained.
    """

    name: str
    node: cst.ClassDef = field(repr=False)
    namespace: dict[str, Value] = field(default_factory=dict)
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)
    bases: tuple[ClassV, ...] = ()
    known_bases: bool = True
    callback: bool = False
    defined_at: int = 0
    # Names bound to what shapelint does not follow as a method (decorated, async,
    # generators): reading them or calling them gives an unknown value.
    opaque: set[str] = field(default_factory=set)
    # What each method does to self, its bases' included (``classes.summarize``).
    summaries: dict[str, Summary] = field(default_factory=dict)

    def mro(self) -> list[ClassV]:
        out: list[ClassV] = [self]
        for base in self.bases:
            for cls in base.mro():
                if cls not in out:
                    out.append(cls)
        return out

    def method(self, name: str) -> cst.FunctionDef | None:
        for cls in self.mro():
            if name in cls.methods:
                return cls.methods[name]
            if name in cls.opaque or name in cls.namespace:
                return None
        return None

    def lookup(self, name: str) -> Value | None:
        """A class attribute (not a method), or None where the class does not bind it."""
        for cls in self.mro():
            if name in cls.namespace:
                return cls.namespace[name]
            if name in cls.methods or name in cls.opaque:
                return UNKNOWN
        return None


@dataclass(eq=False)
class InstanceV:
    """``self`` inside a method of a class of the script: what its attributes hold.

    ``opaque`` once ``self`` was handed to code shapelint cannot see: attributes it has not
    seen bound since are unknown.
    """

    cls: ClassV
    attrs: dict[str, Value] = field(default_factory=dict)
    opaque: bool = False


@dataclass(frozen=True)
class Scalar:
    """A number whose value is not known (``x.max()``, ``len(data)`` of unknown data).

    ``integral`` says it is a whole number; ``multiple_of`` that it is a multiple of
    that count, as ``len(x) // 30 * 30`` is.
    """

    integral: bool = False
    multiple_of: int | None = None


@dataclass(frozen=True)
class FrameV:
    """A pandas DataFrame (or, with ``series``, a Series): rows and columns where known."""

    rows: Num | None
    cols: int | None
    series: bool = False


@dataclass(frozen=True)
class IndexerV:
    """``df.iloc`` or ``df.loc``, waiting for its subscript."""

    frame: FrameV
    kind: str


@dataclass(frozen=True)
class NpzV:
    """``np.load("d.npz")``: a mapping of array names to arrays in a local file."""

    path: str
    name: str


@dataclass(frozen=True)
class DatasetV:
    """A tf.data pipeline or a Keras batch generator, as far as its counts are known.

    ``samples`` counts elements (samples); once batched, ``batch`` is the batch size and
    ``last`` the size of the last batch (``batch`` when all are whole, 0 when empty).
    """

    samples: Num | None
    dims: Shape | None
    batch: Num | None = None
    last: int | None = None
    drop_remainder: bool = False
    label: str = ""
    anchor: Anchor | None = None
    # The ``.batch(...)`` call that batched it.
    batch_anchor: Anchor | None = None


@dataclass(eq=False)
class ScalerV:
    """A scikit-learn scaler: ``fit_transform``/``transform`` keep the array's shape."""


@dataclass(eq=False)
class RngV:
    """``np.random.default_rng(...)``: a generator whose methods make arrays."""


Value = (
    ModuleRef
    | LossV
    | Builtin
    | Const
    | Num
    | TupleV
    | Sym
    | RangeV
    | FunctionV
    | ArrayV
    | ListV
    | LayerV
    | InputV
    | TensorV
    | ModelV
    | SomeModelV
    | ClassV
    | InstanceV
    | RngV
    | Scalar
    | DatasetV
    | FrameV
    | IndexerV
    | NpzV
    | ScalerV
    | Unknown
)


def element_shape(value: Value) -> Shape | None:
    """The shape of one list element (``()`` for a number), or None if unknown."""
    if isinstance(value, (Num, Sym, Scalar)):
        return ()
    if isinstance(value, ArrayV):
        if value.dims is None:
            return None
        n = value.samples.int_value if value.samples is not None else None
        return (n, *value.dims)
    if isinstance(value, TupleV):
        if all(isinstance(v, Num) for v in value.items):
            return (len(value.items),)
    if isinstance(value, ListV) and value.count is not None and value.elem is not None:
        return (value.count.int_value, *value.elem)
    return None


def common_shape(items: tuple[Value, ...]) -> Shape | None:
    shapes = {element_shape(v) for v in items}
    if len(shapes) == 1:
        return shapes.pop()
    return None if items else ()


__all__ = ["UNKNOWN", "Value"]
