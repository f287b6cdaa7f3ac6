"""Helpers the stateful-model rules share: which model parts qualify, and how to name things."""

from __future__ import annotations

from shapelint.facts import Data, Facts, Layer, Model, Num, TrainCall


def fixed_batch(model: Model) -> int | None:
    """The fixed batch size of a model with a certain stateful layer, or None."""
    if not model.stateful_layers or model.batch.status != "fixed" or model.batch.size is None:
        return None
    size = model.batch.size.int_value
    return size if size is not None and size > 0 else None


def keras2(facts: Facts) -> bool:
    return facts.keras_version == 2


def layer_phrase(layer: Layer) -> str:
    return f"the stateful {layer.label} ({layer.anchor.where})"


def batch_phrase(model: Model) -> str:
    """``batch size 30 (batch_input_shape, line 12)``."""
    batch = model.batch
    assert batch.size is not None
    where = []
    if batch.source and batch.anchor is not None:
        where.append(f"{batch.source} on {batch.anchor.where}")
    origin = num_origin(batch.size)
    if origin:
        where.append(origin)
    suffix = f" ({'; '.join(where)})" if where else ""
    return f"batch size {batch.size.value}{suffix}"


def samples_origin(data: Data, samples: Num) -> str:
    """``1735 = len(raw)=1765 - window=30 (trainX, line 27)``."""
    where = f"{data.label}, {data.anchor.where}" if data.anchor is not None else data.label
    how = f" = {samples.how}" if samples.how else ""
    return f"{samples.value}{how} ({where})"


def batch_origin(model: Model) -> str:
    """``30 = batch_input_shape on line 34; batch_size = 30 on line 13``."""
    phrase = batch_phrase(model)
    size, _, rest = phrase.removeprefix("batch size ").partition(" ")
    return f"{size} = {rest.strip('()')}" if rest else size


def num_origin(num: Num) -> str:
    """Where a number came from: ``batch_size = 30 on line 4``, with its derivation if any."""
    if num.anchor is None:
        return num.how
    value = f"{num.how} = {num.value}" if num.how else str(num.value)
    return f"{num.name or 'it'} = {value} on {num.anchor.where}"


def data_phrase(label: str, data: Data, samples: Num) -> str:
    """``X (line 19) has 1735 samples (len(raw)=1765 - window=30)``."""
    where = f" ({data.anchor.where})" if data.anchor is not None else ""
    how = f" ({samples.how})" if samples.how else ""
    noun = "sample" if samples.value == 1 else "samples"
    return f"{label}{where} has {samples.value} {noun}{how}"


def divisors_near(n: int, target: int) -> tuple[int, ...]:
    """The divisors of n nearest below and above target, leaving out 1 and n where others exist."""
    small = [d for d in range(1, int(n**0.5) + 1) if n % d == 0]
    every = sorted(set(small + [n // d for d in small]))
    inner = [d for d in every if d not in (1, n)] or [d for d in every if d != 1]
    below = [d for d in inner if d < target]
    above = [d for d in inner if d > target]
    picked = ([below[-1]] if below else []) + ([above[0]] if above else [])
    return tuple(picked)


def array_calls(facts: Facts) -> list[tuple[TrainCall, Model, int]]:
    """Calls on stateful models with a fixed batch size, with that batch size."""
    out = []
    for call in facts.calls:
        size = fixed_batch(call.model)
        if size is not None:
            out.append((call, call.model, size))
    return out
