"""What numpy calls, array methods and indexing do to shapes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from shapelint.extract.args import Args
from shapelint.extract.numbers import fmt, slice_len
from shapelint.extract.values import (
    ArrayV,
    Const,
    FrameV,
    ListV,
    LossV,
    RngV,
    Scalar,
    Sym,
    TupleV,
    Value,
)
from shapelint.facts import UNKNOWN, Classes, Num

FullShape = list[int | None]

_SIZE_AT: dict[str, tuple[str, int]] = {
    # function -> (name of the size parameter, its position)
    "random.random": ("size", 0),
    "random.random_sample": ("size", 0),
    "random.ranf": ("size", 0),
    "random.sample": ("size", 0),
    "random.standard_normal": ("size", 0),
    "random.uniform": ("size", 2),
    "random.normal": ("size", 2),
    "random.randint": ("size", 2),
    "random.binomial": ("size", 2),
    "random.poisson": ("size", 1),
    "random.exponential": ("size", 1),
    "zeros": ("shape", 0),
    "ones": ("shape", 0),
    "empty": ("shape", 0),
    "full": ("shape", 0),
}
_RNG_SIZE_AT: dict[str, tuple[str, int]] = {
    "random": ("size", 0),
    "standard_normal": ("size", 0),
    "normal": ("size", 2),
    "uniform": ("size", 2),
    "integers": ("size", 2),
}
_SAME_SHAPE_METHODS = frozenset({"astype", "copy", "clip", "round", "__abs__"})
_SAME_SHAPE_FUNCTIONS = frozenset(
    {
        "log",
        "log1p",
        "log2",
        "log10",
        "exp",
        "expm1",
        "sqrt",
        "square",
        "abs",
        "absolute",
        "negative",
        "sign",
        "sin",
        "cos",
        "tan",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "floor",
        "ceil",
        "rint",
        "clip",
        "nan_to_num",
        "round",
    }
)
_ON_NUMBERS: dict[str, Callable[[float], float]] = {
    "floor": math.floor,
    "ceil": math.ceil,
    "abs": abs,
    "absolute": abs,
}
_REDUCTIONS = frozenset(
    {"mean", "std", "sum", "min", "max", "var", "median", "ptp", "amin", "amax", "nanmean"}
)
_LIKE = frozenset(
    {"zeros_like", "ones_like", "empty_like", "full_like", "copy", "asarray", "float32"}
)


def make_array(shape: list[Num | None] | None) -> Value:
    """An array of a full shape (axis 0 first)."""
    if not shape:
        return UNKNOWN
    first = shape[0]
    dims = tuple(d.int_value if d is not None else None for d in shape[1:])
    return ArrayV(first if first is not None and first.int_value is not None else None, dims)


def shape_arg(value: Value | None) -> list[Num | None] | None:
    """A shape as passed to numpy: an int or a tuple/list of ints (entries may be unknown)."""
    if isinstance(value, Num):
        return [value] if value.int_value is not None else [None]
    if isinstance(value, TupleV):
        items: list[Value] = list(value.items)
    elif isinstance(value, ListV) and value.items is not None:
        items = list(value.items)
    else:
        return None
    return [v if isinstance(v, Num) and v.int_value is not None else None for v in items]


def full_shape(array: ArrayV) -> FullShape | None:
    if array.dims is None:
        return None
    n = array.samples.int_value if array.samples is not None else None
    return [n, *array.dims]


def from_full(shape: FullShape, samples: Num | None = None) -> Value:
    if not shape:
        return UNKNOWN
    first = shape[0]
    if samples is None and first is not None:
        samples = Num(first)
    return ArrayV(samples if first is not None else None, tuple(shape[1:]))


def targets_call(keras: tuple[str, str] | None, path: str, args: Args) -> Value | None:
    """What the calls that make targets return: ``keras.utils.to_categorical``,
    ``tf.one_hot``, and an instance of a ``keras.losses`` class; None for any other call."""
    relative = keras[1] if keras is not None else ""
    name = relative.rpartition(".")[2]
    if relative.startswith("losses.") and name[:1].isupper():
        return LossV(name)
    if name == "to_categorical":
        count = _count(args.get("num_classes", 1))
        how = f"to_categorical(..., num_classes={count})"
        return one_hot(args.get("y", 0), count, how, squeeze=True)
    if path == "tensorflow.one_hot":
        count = _count(args.get("depth", 1))
        return one_hot(args.get("indices", 0), count, f"tf.one_hot(..., {count})", squeeze=False)
    return None


def _count(value: Value | None) -> int | None:
    if isinstance(value, Num) and value.int_value is not None and value.int_value > 0:
        return value.int_value
    return None


def one_hot(labels: Value | None, count: int | None, how: str, *, squeeze: bool) -> Value:
    """One-hot rows of ``count`` classes for each label: ``to_categorical`` drops a trailing
    axis of 1 first (``(n, 1)`` labels give ``(n, count)``), ``tf.one_hot`` does not."""
    if not isinstance(labels, ArrayV) or labels.dims is None:
        return UNKNOWN
    dims = labels.dims[:-1] if squeeze and labels.dims[-1:] == (1,) else labels.dims
    classes = Classes("one_hot", count, how) if count is not None else None
    return ArrayV(labels.samples, (*dims, count), classes=classes)


def labels_of(array: Value, low: Value | None, high: Value | None, how: str) -> Value:
    """``randint(low, high, size)``: integer labels in [0, high) when low is 0."""
    if not isinstance(array, ArrayV):
        return array
    if high is None:
        low, high = Num(0), low
    count = _count(high)
    if count is None or not (isinstance(low, Num) and low.value == 0):
        return array
    return replace(array, classes=Classes("labels", count, how.format(count)))


def keep_classes(source: Value | None, result: Value) -> Value:
    """``result``, an array made from ``source`` along its samples (a slice, a reshape, a
    type cast), with ``source``'s classes where its last axis still holds them."""
    if not (isinstance(source, ArrayV) and isinstance(result, ArrayV)) or source.classes is None:
        return result
    classes = source.classes
    if result.dims is None:
        return result
    if classes.kind == "one_hot" and result.dims[-1:] != (classes.count,):
        return result
    if classes.kind == "labels" and any(d != 1 for d in result.dims):
        return result
    return replace(result, classes=classes)


# Functions whose result holds the same values as their first argument.
_SAME_VALUES = frozenset({"array", "asarray", "asanyarray", "copy", "float32", "reshape"})


def call(name: str, args: Args) -> Value:
    result = _call(name, args)
    if name in _SAME_VALUES:
        return keep_classes(args.get("a", 0) or args.get("object", 0), result)
    return result


def _call(name: str, args: Args) -> Value:
    if name == "random.randint":
        made = make_array(shape_arg(args.get("size", 2)))
        return labels_of(made, args.get("low", 0), args.get("high", 1), "np.random.randint(0, {})")
    if name == "eye":
        count = _count(args.get("N", 0))
        if count is None or len(args.positional) > 1 or set(args.keywords) - {"N", "dtype"}:
            return UNKNOWN
        how = f"np.eye({count})[...]"
        return ArrayV(Num(count), (count,), classes=Classes("one_hot", count, how))
    if name in _SIZE_AT:
        param, index = _SIZE_AT[name]
        return make_array(shape_arg(args.get(param, index)))
    if name in ("random.rand", "random.randn"):
        if args.opaque or not args.positional:
            return UNKNOWN
        return make_array(shape_arg(TupleV(tuple(args.positional))))
    if name in _LIKE:
        source = args.get("a", 0)
        if isinstance(source, ArrayV):
            return ArrayV(source.samples, source.dims)
        if name in ("asarray", "copy", "float32"):
            return array_from(source)
        return UNKNOWN
    if name in ("array", "asanyarray", "stack", "vstack"):
        source = args.get("object", 0) if name.endswith("array") else args.get("arrays", 0)
        if name == "stack":
            axis = args.get("axis", 1)
            if axis is not None and not (isinstance(axis, Num) and axis.value == 0):
                return UNKNOWN
        if name == "vstack":
            return concatenate(source)
        return array_from(source)
    if name == "arange":
        return arange(args)
    if name == "linspace":
        num = args.get("num", 2)
        if num is None:
            return ArrayV(Num(50, "np.linspace's default"), ())
        return ArrayV(num, ()) if isinstance(num, Num) and num.int_value is not None else UNKNOWN
    if name == "reshape":
        source = args.get("a", 0)
        shape = args.get("newshape", 1) or args.get("shape", 1)
        return reshape(source, shape) if isinstance(source, ArrayV) else UNKNOWN
    if name == "expand_dims":
        source = args.get("a", 0)
        axis = args.get("axis", 1)
        return expand_dims(source, axis) if isinstance(source, ArrayV) else UNKNOWN
    if name == "concatenate":
        axis = args.get("axis", 1)
        if axis is not None and not (isinstance(axis, Num) and axis.value == 0):
            return UNKNOWN
        return concatenate(args.get("arrays", 0))
    if name == "random.default_rng":
        return RngV()
    if name in _SAME_SHAPE_FUNCTIONS:
        source = args.get("x", 0)
        if isinstance(source, ArrayV):
            return ArrayV(source.samples, source.dims)
        if isinstance(source, Num) and name in _ON_NUMBERS and len(args.positional) == 1:
            value = _ON_NUMBERS[name](source.value)
            return Num(float(value), f"np.{name}({source.how or fmt(source.value)})")
        return UNKNOWN
    if name in _REDUCTIONS:
        source = args.get("a", 0)
        if isinstance(source, ArrayV):
            return reduce(source, args.get("axis", 1), args.get("keepdims"))
        return UNKNOWN
    return UNKNOWN


def reduce(array: ArrayV, axis: Value | None, keepdims: Value | None) -> Value:
    """``x.mean()`` is a scalar; ``x.mean(axis=k)`` drops axis k."""
    if keepdims is not None and not (isinstance(keepdims, Const) and keepdims.value is False):
        return UNKNOWN
    if axis is None or (isinstance(axis, Const) and axis.value is None):
        return Scalar()
    shape = full_shape(array)
    if shape is None or not isinstance(axis, Num) or axis.int_value is None:
        return UNKNOWN
    k = axis.int_value + (len(shape) if axis.int_value < 0 else 0)
    if not 0 <= k < len(shape):
        return UNKNOWN
    rest = shape[:k] + shape[k + 1 :]
    if not rest:
        return Scalar()
    return from_full(rest, array.samples if k > 0 else None)


def rng_method(method: str, args: Args) -> Value:
    if method == "integers":
        made = make_array(shape_arg(args.get("size", 2)))
        return labels_of(made, args.get("low", 0), args.get("high", 1), "rng.integers(0, {})")
    if method in _RNG_SIZE_AT:
        param, index = _RNG_SIZE_AT[method]
        return make_array(shape_arg(args.get(param, index)))
    return UNKNOWN


def array_from(source: Value | None) -> Value:
    if isinstance(source, ArrayV):
        return ArrayV(source.samples, source.dims)
    if isinstance(source, FrameV):
        return ArrayV(source.rows, () if source.series else (source.cols,))
    if isinstance(source, ListV):
        if source.count is None or source.count.int_value is None:
            return ArrayV(None, source.elem)
        return ArrayV(source.count, source.elem)
    if isinstance(source, TupleV):
        if all(isinstance(v, Num) for v in source.items):
            return ArrayV(Num(len(source.items)), ())
    return UNKNOWN


def concatenate(source: Value | None) -> Value:
    if isinstance(source, (TupleV, ListV)):
        items = source.items if isinstance(source, TupleV) else source.items
        if not items:
            return UNKNOWN
        arrays = [v for v in items if isinstance(v, ArrayV)]
        if len(arrays) != len(items):
            return UNKNOWN
        dims = {a.dims for a in arrays}
        if len(dims) != 1 or None in dims:
            return UNKNOWN
        counts = [a.samples for a in arrays]
        if any(c is None for c in counts):
            return ArrayV(None, arrays[0].dims)
        total = sum(c.value for c in counts if c is not None)
        how = " + ".join(fmt(c.value) for c in counts if c is not None)
        return ArrayV(Num(total, how), arrays[0].dims)
    return UNKNOWN


def arange(args: Args) -> Value:
    if args.opaque:
        return UNKNOWN
    values = args.positional
    if "stop" in args.keywords:
        values = [*values, args.keywords["stop"]]
    if not values or not all(isinstance(v, Num) for v in values) or len(values) > 3:
        return UNKNOWN
    nums = [v.value for v in values if isinstance(v, Num)]
    start: float = 0
    step: float = 1
    stop: float = nums[0]
    if len(nums) > 1:
        start, stop = nums[0], nums[1]
    if len(nums) == 3:
        step = nums[2]
    if step == 0:
        return UNKNOWN
    count = max(0, math.ceil((stop - start) / step))
    return ArrayV(Num(count, f"np.arange({', '.join(fmt(n) for n in nums)})"), ())


def array_attribute(array: ArrayV, attr: str) -> Value:
    if attr == "shape":
        first: Value = array.samples if array.samples is not None else UNKNOWN
        if array.dims is None:
            return UNKNOWN
        rest: list[Value] = [Num(d) if d is not None else UNKNOWN for d in array.dims]
        return TupleV((first, *rest))
    if attr == "ndim" and array.dims is not None:
        return Num(len(array.dims) + 1)
    if attr == "size":
        shape = full_shape(array)
        if shape is not None and all(d is not None for d in shape):
            return Num(math.prod(d for d in shape if d is not None))
    return UNKNOWN


def array_method(array: ArrayV, method: str, args: Args) -> Value:
    return keep_classes(array, _array_method(array, method, args))


def _array_method(array: ArrayV, method: str, args: Args) -> Value:
    if method == "reshape":
        if len(args.positional) == 1 and not args.keywords:
            return reshape(array, args.positional[0])
        return reshape(array, TupleV(tuple(args.positional))) if args.positional else UNKNOWN
    if method in _SAME_SHAPE_METHODS:
        return ArrayV(array.samples, array.dims)
    if method in ("cumsum", "cumprod") and args.get("axis", 0) is not None:
        return ArrayV(array.samples, array.dims)
    if method in _REDUCTIONS:
        return reduce(array, args.get("axis", 0), args.get("keepdims"))
    if method in ("flatten", "ravel"):
        shape = full_shape(array)
        if shape is not None and all(d is not None for d in shape):
            return ArrayV(Num(math.prod(d for d in shape if d is not None)), ())
    return UNKNOWN


def reshape(array: ArrayV, shape_value: Value | None) -> Value:
    wanted = shape_arg(shape_value)
    if wanted is None:
        return UNKNOWN
    current = full_shape(array)
    total: int | None = None
    if current is not None and all(d is not None for d in current):
        total = math.prod(d for d in current if d is not None)
    values = [w.int_value if w is not None else None for w in wanted]
    if values.count(-1) > 1:
        return UNKNOWN
    if -1 in values:
        known = [v for v in values if v is not None and v != -1]
        if total is None or None in values or 0 in known:
            values = [None if v == -1 else v for v in values]
        else:
            rest = math.prod(known)
            if total % rest:
                return UNKNOWN
            values = [total // rest if v == -1 else v for v in values]
    if total is not None and None not in values:
        if math.prod(v for v in values if v is not None) != total:
            return UNKNOWN
    samples = wanted[0] if values[0] is not None and wanted[0] is not None else None
    if samples is not None and samples.int_value != values[0]:
        samples = Num(values[0]) if values[0] is not None else None
    if samples is None and values[0] is not None:
        samples = Num(values[0])
    return ArrayV(samples, tuple(values[1:]))


def expand_dims(array: ArrayV, axis: Value | None) -> Value:
    shape = full_shape(array)
    if shape is None or not isinstance(axis, Num) or axis.int_value is None:
        return UNKNOWN
    position = axis.int_value
    if position < 0:
        position += len(shape) + 1
    if not 0 <= position <= len(shape):
        return UNKNOWN
    shape.insert(position, 1)
    return from_full(shape, array.samples if position > 0 else None)


def elementwise(left: Value, right: Value) -> Value:
    """``a op b`` with numpy broadcasting, as far as the shapes are known."""
    scalars = (Num, Const, Scalar)
    if isinstance(left, ArrayV) and isinstance(right, scalars):
        return ArrayV(left.samples, left.dims)
    if isinstance(right, ArrayV) and isinstance(left, scalars):
        return ArrayV(right.samples, right.dims)
    if not (isinstance(left, ArrayV) and isinstance(right, ArrayV)):
        return UNKNOWN
    a, b = full_shape(left), full_shape(right)
    if a is None or b is None:
        return UNKNOWN
    result: FullShape = []
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da == db:
            result.append(da)
        elif da == 1:
            result.append(db)
        elif db == 1:
            result.append(da)
        elif da is None:
            result.append(db)
        elif db is None:
            result.append(da)
        else:
            return UNKNOWN  # numpy would raise: shapes do not broadcast
    result.reverse()
    for array, shape in ((left, a), (right, b)):
        if len(shape) == len(result) and shape[0] == result[0] and array.samples is not None:
            return ArrayV(array.samples, tuple(result[1:]))
    return from_full(result)


Part = Value | tuple[Value, Value, Value]


def index_array(array: ArrayV, parts: list[Part]) -> Value:
    eye = array.classes is not None and array.classes.how.startswith("np.eye(")
    if eye and len(parts) == 1 and isinstance(parts[0], ArrayV) and parts[0].dims == ():
        # ``np.eye(k)[labels]``: the one-hot row of each label.
        return ArrayV(parts[0].samples, array.dims, classes=array.classes)
    return keep_classes(array, _index_array(array, parts))


def _index_array(array: ArrayV, parts: list[Part]) -> Value:
    multiple = whole_batches(parts)
    if multiple is not None:
        # ``x[: len(x) // b * b]``: the count is unknown, but a multiple of b.
        rest = _index_array(array, [(Const(None), Const(None), Const(None)), *parts[1:]])
        if isinstance(rest, ArrayV):
            return ArrayV(None, rest.dims, multiple_of=multiple)
        return UNKNOWN
    shape = full_shape(array)
    if shape is None:
        if len(parts) == 1 and isinstance(parts[0], tuple):
            n = array.samples.int_value if array.samples is not None else None
            length = _slice_length(n, parts[0])
            if length is None:
                return ArrayV(None, None)
            return ArrayV(Num(length, _slice_how(array, parts[0], n)), None)
        return UNKNOWN
    ellipsis = [i for i, p in enumerate(parts) if isinstance(p, Const) and p.value == "..."]
    if len(ellipsis) > 1:
        return UNKNOWN
    if ellipsis:
        at = ellipsis[0]
        consuming = [p for p in parts if not (isinstance(p, Const) and p.value in ("...", None))]
        fill = len(shape) - len(consuming)
        if fill < 0:
            return UNKNOWN
        whole = (Const(None), Const(None), Const(None))
        parts = [*parts[:at], *([whole] * fill), *parts[at + 1 :]]
    out: FullShape = []
    axis = 0
    samples: Num | None = None
    for part in parts:
        if isinstance(part, Const) and part.value is None:
            out.append(1)
            continue
        if axis >= len(shape):
            return UNKNOWN
        if isinstance(part, tuple):
            length = _slice_length(shape[axis], part)
            if axis == 0 and not out:
                samples = (
                    Num(length, _slice_how(array, part, shape[0])) if length is not None else None
                )
                if part == (Const(None), Const(None), Const(None)):
                    samples = array.samples
            out.append(length)
        elif isinstance(part, (Num, Sym)):
            if isinstance(part, Num) and part.int_value is None:
                return UNKNOWN
        else:
            return UNKNOWN
        axis += 1
    out.extend(shape[axis:])
    if not out:
        return UNKNOWN
    if samples is None or samples.int_value != out[0]:
        samples = Num(out[0]) if out[0] is not None else None
    return ArrayV(samples, tuple(out[1:]))


def whole_batches(parts: list[Part]) -> int | None:
    if not parts or not isinstance(parts[0], tuple):
        return None
    lower, upper, step = parts[0]
    if not (isinstance(upper, Scalar) and upper.multiple_of):
        return None
    start_ok = (isinstance(lower, Const) and lower.value is None) or (
        isinstance(lower, Num) and lower.value == 0
    )
    if start_ok and isinstance(step, Const) and step.value is None:
        return upper.multiple_of
    return None


def _slice_length(n: int | None, part: tuple[Value, Value, Value]) -> int | None:
    lower, upper, step = part
    if not (isinstance(step, Const) and step.value is None):
        if not (isinstance(step, Num) and step.int_value):
            return None
    if isinstance(lower, Sym) and isinstance(upper, Sym) and lower.var == upper.var:
        if isinstance(step, Num):
            return None
        return max(0, upper.offset - lower.offset)
    bounds: list[int | None] = []
    for bound in (lower, upper, step):
        if isinstance(bound, Const) and bound.value is None:
            bounds.append(None)
        elif isinstance(bound, Num) and bound.int_value is not None:
            bounds.append(bound.int_value)
        else:
            return None
    if n is None:
        return None
    return slice_len(n, bounds[0], bounds[1], bounds[2])


def _slice_how(array: ArrayV, part: tuple[Value, Value, Value], n: int | None) -> str:
    def text(v: Value) -> str:
        return fmt(v.value) if isinstance(v, Num) else ""

    lower, upper, _ = part
    label = array.label or "the array"
    return f"{label}[{text(lower)}:{text(upper)}] of {n}"
