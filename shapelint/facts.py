"""Facts: what extraction learned about a file. Plain frozen dataclasses.

Rules see nothing else. Every fact that a message may point at carries an
``Anchor``; reading ``anchor.line`` resolves the source position lazily, so a
file without findings never computes positions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from shapelint.findings import Span


class Unknown:
    """A value extraction could not determine. Rules stay silent on it."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = Unknown()


def line_label(line: int) -> str:
    return f"line {line}"


@dataclass(frozen=True, eq=False)
class Anchor:
    """A place in the source. ``span`` is resolved on first use."""

    resolve: Callable[[], Span] = field(repr=False)
    # How a line is named in messages: "line 7", or "cell 3, line 2" in a notebook.
    label: Callable[[int], str] = field(default=line_label, repr=False)
    # Inside a function followed from its calls: the calls that led here, innermost first.
    # The same place reached from two calls has two anchors that differ only here.
    sites: tuple[CallSite, ...] = field(default=(), repr=False)

    @property
    def span(self) -> Span:
        return self.resolve()

    @property
    def line(self) -> int:
        return self.resolve().line

    @property
    def where(self) -> str:
        """``line 7`` (or ``cell 3, line 2``), for messages."""
        return self.label(self.line)


@dataclass(frozen=True, eq=False)
class CallSite:
    """A call of a function (or method) of the script that extraction followed.

    ``args`` are the values its parameters were bound to, as shown in messages
    (``("batch_size", "64")``); parameters whose value is not known are left out.
    """

    anchor: Anchor
    function: str
    args: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Num:
    """A number that is known, with the derivation that produced it.

    ``how`` reads like ``len(raw)=1765 - window=30``; it is empty for a literal.
    ``anchor`` and ``name`` say where the number was first bound to a name, if anywhere.
    """

    value: int | float
    how: str = ""
    anchor: Anchor | None = field(default=None, compare=False)
    name: str = field(default="", compare=False)

    @property
    def int_value(self) -> int | None:
        v = self.value
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            return v
        return None


# A plain keyword value as written on a layer or call: numbers, strings, flags and tuples.
Plain = int | float | bool | str | None | tuple["Plain", ...] | Unknown

# A per-sample shape: one entry per axis after the samples axis, None where unknown.
Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class FixedBatch:
    """The model's fixed batch size.

    ``status`` is ``fixed`` (``size`` is known), ``none`` (the model certainly has
    no fixed batch size) or ``unknown``.
    """

    status: Literal["fixed", "none", "unknown"]
    size: Num | None = None
    source: str = ""
    anchor: Anchor | None = None


@dataclass(frozen=True)
class Layer:
    kind: str
    anchor: Anchor
    recurrent: bool
    stateful: bool | Unknown
    wrapper: str | None = None
    units: int | None = None
    return_sequences: bool | Unknown = False
    args: tuple[tuple[str, Plain], ...] = ()
    certain: bool = True
    # For RNN(cell): the cell's class, e.g. "LSTMCell".
    cell: str | None = None
    # The keywords the layer's own call (inside a wrapper: the wrapped layer's) spells out,
    # in order, and whether that call also passes ``**kwargs`` or ``*args``.
    keywords: tuple[str, ...] = ()
    splat: bool = False
    # In a functional model whose graph is known: what the layer's call takes, each the
    # index of a layer of the model, or -1 - i for the model's i-th input.
    sources: tuple[int, ...] | None = None

    def arg(self, name: str, default: Plain = None) -> Plain:
        for key, value in self.args:
            if key == name:
                return value
        return default

    def has_arg(self, name: str) -> bool:
        return any(key == name for key, _ in self.args)

    @property
    def label(self) -> str:
        return f"{self.wrapper}({self.kind})" if self.wrapper else self.kind


@dataclass(frozen=True)
class Model:
    """A model as it stood when it was used. ``key`` is the same for every snapshot of one model."""

    key: int
    name: str
    api: Literal["sequential", "functional"]
    anchor: Anchor
    layers: tuple[Layer, ...]
    batch: FixedBatch
    input_shape: Shape | None = None
    exact: bool = True
    # The loss as compile names it: a string (``"categorical_crossentropy"``), or the
    # function or class of ``keras.losses`` (``CategoricalCrossentropy``).
    loss: str | None = None
    optimizer: str | None = None
    # A Sequential model that starts with keras.Input/InputLayer: every layer is "not first".
    input_entry: bool = False
    # A functional model's inputs' per-sample shapes, in order.
    input_shapes: tuple[Shape | None, ...] = ()
    # The compile call that set the loss, and whether it gave the loss as a string.
    compile_anchor: Anchor | None = None
    loss_is_string: bool = False

    @property
    def stateful_layers(self) -> tuple[Layer, ...]:
        return tuple(x for x in self.layers if x.recurrent and x.stateful is True and x.certain)


@dataclass(frozen=True)
class Classes:
    """What an array of targets holds: one-hot rows of ``count`` classes along its last axis
    (``to_categorical(y, num_classes=10)``), or integer labels in ``[0, count)``
    (``np.random.randint(0, 10, size=n)``)."""

    kind: Literal["one_hot", "labels"]
    count: int
    # Where the count comes from, as a message shows it: "to_categorical(..., num_classes=10)".
    how: str


@dataclass(frozen=True)
class Data:
    """What reaches a fit/evaluate/predict call as ``x`` (or as validation data)."""

    label: str
    kind: Literal["array", "dataset", "unknown"]
    samples: Num | None = None
    sample_shape: Shape | None = None
    anchor: Anchor | None = None
    # A dataset's own batching: its batch size and the size of its last batch.
    batch_size: Num | None = None
    last_batch: int | None = None
    drop_remainder: bool = False
    # The sample count is unknown but certainly a multiple of this (``x[:len(x) // b * b]``).
    multiple_of: int | None = None
    # A dataset's ``.batch(...)`` call, for the fix that adds drop_remainder=True.
    batch_anchor: Anchor | None = None
    # For targets: one-hot rows or integer labels, and how many classes.
    classes: Classes | None = None


@dataclass(frozen=True)
class TrainCall:
    """A ``model.fit``, ``model.evaluate`` or ``model.predict`` call."""

    method: Literal["fit", "evaluate", "predict"]
    anchor: Anchor
    model: Model
    x: Data | None
    batch_size: Num | None
    batch_size_explicit: bool
    validation: Data | None = None
    validation_batch_size: Num | None = None
    validation_split: Num | None | Unknown = None
    limited_steps: bool | Unknown = False
    in_loop: bool = False
    y: Data | None = None
    # fit's shuffle argument: True (also Keras's default), False, or unknown.
    shuffle: bool | Unknown = True
    shuffle_explicit: bool = False
    # The targets of validation_data=(x, y).
    validation_y: Data | None = None
    # A name that holds the model's fixed batch size at this call (bound where the model's
    # was), for fixes that should name the constant rather than repeat its value.
    batch_name: str = ""


@dataclass(frozen=True)
class ApiUse:
    """A use of a Keras API that Keras 3 removed: a model method (``reset_states``,
    ``fit_generator``), a layer class (``CuDNNLSTM``) or a utility (``TimeseriesGenerator``)."""

    kind: Literal["model_method", "layer", "utility"]
    name: str
    anchor: Anchor
    # For a model method: the model as the call spells it (``model``, ``self.model``) and
    # its class as Keras names it ("Sequential", "Functional"; "" when not known).
    target: str = ""
    target_class: str = ""
    keywords: tuple[str, ...] = ()
    # How many positional arguments the call passes (None: unknown, e.g. ``*args``).
    positional: int | None = 0
    # The callee is written as an attribute (``layers.CuDNNLSTM``) rather than a bare name.
    attribute: bool = False


@dataclass(frozen=True)
class KerasImport:
    """An import of a Keras module: ``from keras.layers.core import Dense, Dropout as D``
    (``names`` are the imported names with their aliases) or ``import keras.utils.np_utils``
    (no names). ``module`` is the dotted path as written."""

    module: str
    anchor: Anchor
    names: tuple[tuple[str, str | None], ...] = ()
    # ``from module import *``.
    star: bool = False
    # Inside a ``try`` that has an ``except`` clause: the script may handle the ImportError.
    guarded: bool = False


@dataclass(frozen=True)
class KerasCall:
    """A call of a Keras callable that is not a layer of a model: an optimizer, a callback,
    a utility (``keras.optimizers.Adam(lr=0.01)``), or a method of a model shapelint follows
    (``model.fit(x, y, nb_epoch=10)``). The rules read its keywords against
    ``shapelint.keras_api``."""

    # Relative to the API's root, as ``keras_api`` names it: ``optimizers.Adam``,
    # ``utils.to_categorical``, ``Sequential.fit``, ``Model.compile``.
    qualname: str
    # The API the script spelled: "keras", "tf.keras" or "tf_keras".
    api: str
    anchor: Anchor
    # The keywords the call spells out, in order, with their values.
    args: tuple[tuple[str, Plain], ...] = ()
    # The call also passes ``**kwargs`` or ``*args``.
    splat: bool = False
    # The arguments it passes by position, with their values.
    positional: tuple[Plain, ...] = ()

    @property
    def name(self) -> str:
        """The callable as a user writes it: ``Adam``, ``fit``."""
        return self.qualname.rsplit(".", 1)[-1]

    def arg(self, name: str) -> Plain:
        return next((value for key, value in self.args if key == name), None)


@dataclass(frozen=True)
class SyntaxErrorFact:
    message: str
    span: Span


@dataclass(frozen=True)
class Facts:
    path: str
    models: tuple[Model, ...] = ()
    calls: tuple[TrainCall, ...] = ()
    flavours: frozenset[str] = frozenset()
    syntax_error: SyntaxErrorFact | None = None
    # The Keras major version the script targets: 2 with tf_keras, else the configured one.
    keras_version: int = 3
    # The data files read for sizes (absolute paths).
    data_files: tuple[str, ...] = ()
    api_uses: tuple[ApiUse, ...] = ()
    keras_imports: tuple[KerasImport, ...] = ()
    keras_calls: tuple[KerasCall, ...] = ()
