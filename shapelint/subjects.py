"""What each kind of finding is about: one frozen dataclass per kind, made by the rules.

A subject holds the facts a finding was judged on, for ``shapelint verify`` to rebuild the
case and for the output to carry the finding's numbers as data (``numbers()``). Verify's
planners dispatch on the subject's type; ``code`` names the rule that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from shapelint.facts import ApiUse, Data, KerasCall, KerasImport, Layer, Model, Shape, TrainCall
from shapelint.findings import Number

Role = Literal["training", "validation", "evaluate", "predict"]


@dataclass(frozen=True)
class BatchRemainder:
    """SL001: ``samples`` cut into batches of ``batch`` leave a partial last batch."""

    code: ClassVar[str] = "SL001"
    call: TrainCall
    role: Role
    data: Data
    samples: int
    batch: int

    def numbers(self) -> dict[str, Number]:
        return {
            "samples": self.samples,
            "batch_size": self.batch,
            "remainder": self.samples % self.batch,
            "full_batches": self.samples // self.batch,
        }


@dataclass(frozen=True)
class BatchConflict:
    """SL002: a call batches by ``call_batch`` a model built for ``batch``."""

    code: ClassVar[str] = "SL002"
    call: TrainCall
    data: Data
    call_batch: int
    batch: int
    samples: int | None

    def numbers(self) -> dict[str, Number]:
        out: dict[str, Number] = {"batch_size": self.batch, "call_batch_size": self.call_batch}
        if self.samples is not None:
            out["samples"] = self.samples
        return out


@dataclass(frozen=True)
class StatefulWithoutBatch:
    """SL003: a stateful layer in a model whose input has no fixed batch size."""

    code: ClassVar[str] = "SL003"
    model: Model
    layer: Layer
    # The one batch size the model's calls pass, if they agree on one.
    batch: int | None

    def numbers(self) -> dict[str, Number]:
        return {} if self.batch is None else {"call_batch_size": self.batch}


@dataclass(frozen=True)
class IgnoredInputShape:
    """SL004: input-shape arguments on a layer that is not a Sequential model's first."""

    code: ClassVar[str] = "SL004"
    model: Model
    layer: Layer
    position: int
    names: tuple[str, ...]

    def numbers(self) -> dict[str, Number]:
        return {"position": self.position}


@dataclass(frozen=True)
class DataShapeMismatch:
    """SL005 on a call: samples of shape ``found`` for a model that takes ``expected``."""

    code: ClassVar[str] = "SL005"
    call: TrainCall
    expected: Shape
    found: Shape

    def numbers(self) -> dict[str, Number]:
        return {"expected": self.expected, "found": self.found}


@dataclass(frozen=True)
class DeclaredRankMismatch:
    """SL005 on a layer: a declared input shape with the wrong number of axes."""

    code: ClassVar[str] = "SL005"
    model: Model
    layer: Layer
    declared: Shape
    needed_rank: int

    def numbers(self) -> dict[str, Number]:
        return {"declared": self.declared, "expected_rank": self.needed_rank}


@dataclass(frozen=True)
class RecurrentInputRank:
    """SL006 on a layer: a recurrent layer receives input without a time axis."""

    code: ClassVar[str] = "SL006"
    model: Model
    layer: Layer
    # The layer that dropped the time axis.
    previous: Layer
    rank: int
    needed_rank: int

    def numbers(self) -> dict[str, Number]:
        # Ranks as Keras prints them: with the batch axis.
        return {"ndim": self.rank + 1, "expected_ndim": self.needed_rank + 1}


@dataclass(frozen=True)
class TargetRank:
    """SL006 on a call: targets whose rank differs from the model's output."""

    code: ClassVar[str] = "SL006"
    call: TrainCall
    targets: Shape
    output: Shape | None
    output_rank: int
    # The last recurrent layer, whose return_sequences the fix may turn on.
    last: Layer | None

    def numbers(self) -> dict[str, Number]:
        out: dict[str, Number] = {"targets": self.targets, "output_rank": self.output_rank}
        if self.output is not None:
            out["output"] = self.output
        return out


@dataclass(frozen=True)
class ShuffledStateful:
    """SL007: fit shuffles the arrays a stateful model is trained on."""

    code: ClassVar[str] = "SL007"
    call: TrainCall

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class RemovedArgument:
    """SL008: keywords on a layer that Keras 3 rejects."""

    code: ClassVar[str] = "SL008"
    model: Model
    layer: Layer
    names: tuple[str, ...]

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class UnguardedRemainder:
    """SL009: a stateful model trained on data of unknown size, with no whole-batch guard."""

    code: ClassVar[str] = "SL009"
    call: TrainCall
    batch: int

    def numbers(self) -> dict[str, Number]:
        return {"batch_size": self.batch}


@dataclass(frozen=True)
class RemovedApi:
    """SL010: a Keras 2 model method, layer or utility that Keras 3 removed."""

    code: ClassVar[str] = "SL010"
    use: ApiUse

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class RemovedModule:
    """SL010: an import of a Keras 1/2 module that Keras 3 does not have."""

    code: ClassVar[str] = "SL010"
    imported: KerasImport
    # The Keras 3 module that has every imported name, when there is one.
    home: str | None

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class OldKeyword:
    """SL008: a keyword that the targeted Keras rejects, or accepts without effect, on a
    callable that another Keras version took it on (``lr`` on ``optimizers.SGD``)."""

    code: ClassVar[str] = "SL008"
    call: KerasCall
    # The API the script targets ("keras", "tf.keras", "tf_keras").
    api: str
    name: str
    # The targeted Keras's spelling, where the value carries over unchanged.
    new: str | None
    # Accepted without effect (a warning), rather than rejected.
    ignored: bool

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class UnknownArgument:
    """SL011: a keyword that no Keras version accepts on a callable."""

    code: ClassVar[str] = "SL011"
    call: KerasCall
    # The API the script targets ("keras", "tf.keras", "tf_keras").
    api: str
    name: str
    # The one accepted keyword close to it in spelling, if there is exactly one.
    suggestion: str | None

    def numbers(self) -> dict[str, Number]:
        return {}


@dataclass(frozen=True)
class TargetMismatch:
    """SL012: targets that the model's output cannot meet under its loss."""

    code: ClassVar[str] = "SL012"
    call: TrainCall
    model: Model
    targets: Shape
    output: Shape
    # What the loss needs of the targets (``shapelint.losses.Kind``).
    loss_kind: str
    # Keras's error ("" where Keras trains without one).
    error: str
    silent: bool
    # The Keras major version the script targets, and the size of the first batch.
    keras_version: int
    batch: int | None

    def numbers(self) -> dict[str, Number]:
        out: dict[str, Number] = {"targets": self.targets, "output": self.output}
        classes = self.call.y.classes if self.call.y is not None else None
        if classes is not None:
            out["classes"] = classes.count
        return out


Subject = (
    BatchRemainder
    | BatchConflict
    | StatefulWithoutBatch
    | IgnoredInputShape
    | DataShapeMismatch
    | DeclaredRankMismatch
    | RecurrentInputRank
    | TargetRank
    | ShuffledStateful
    | RemovedArgument
    | OldKeyword
    | UnguardedRemainder
    | RemovedApi
    | RemovedModule
    | UnknownArgument
    | TargetMismatch
)
