"""Python builtins that sizes flow through: len, range, int, round, min, max, lists."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import libcst as cst

from shapelint.extract.args import Args
from shapelint.extract.numbers import fmt, range_len, slice_len
from shapelint.extract.values import (
    ArrayV,
    Const,
    DatasetV,
    FrameV,
    ListV,
    RangeV,
    Scalar,
    Sym,
    TupleV,
    Value,
    element_shape,
)
from shapelint.facts import UNKNOWN, Num

if TYPE_CHECKING:
    from shapelint.extract.context import Context


def call(ex: Context, name: str, args: Args, node: cst.Call) -> Value:
    if args.opaque:
        return UNKNOWN
    values = args.positional
    if name == "len" and len(values) == 1:
        known = length(values[0], ex.label_of(args.positional_nodes[0]))
        return known if known is not UNKNOWN else Scalar(integral=True)
    if name == "range":
        return range_(values, args)
    if name in ("int", "trunc") and len(values) == 1 and isinstance(values[0], Num):
        return Num(int(values[0].value), values[0].how or "")
    if name in ("int", "trunc", "round", "floor", "ceil") and values:
        if isinstance(values[0], Scalar):
            return Scalar(True, values[0].multiple_of)
    if name == "float" and len(values) == 1 and isinstance(values[0], Num):
        return Num(float(values[0].value), values[0].how)
    if name in ("ceil", "floor") and len(values) == 1 and isinstance(values[0], Num):
        fn = math.ceil if name == "ceil" else math.floor
        return Num(fn(values[0].value), f"{name}({values[0].how or fmt(values[0].value)})")
    if name == "round" and values and isinstance(values[0], Num):
        if len(values) == 1 and "ndigits" not in args.keywords:
            return Num(round(values[0].value), f"round({values[0].how or fmt(values[0].value)})")
        return UNKNOWN
    if name in ("min", "max") and len(values) >= 2 and all(isinstance(v, Num) for v in values):
        nums = [v for v in values if isinstance(v, Num)]
        chosen = (min if name == "min" else max)(nums, key=lambda n: n.value)
        return chosen
    if name == "abs" and len(values) == 1 and isinstance(values[0], Num):
        return Num(abs(values[0].value), values[0].how)
    if name in ("list", "tuple") and len(values) == 1:
        value = values[0]
        if isinstance(value, ListV):
            return ListV(value.count, value.elem) if name == "list" else UNKNOWN
        if isinstance(value, RangeV) and name == "list":
            return ListV(value.count, ())
    for value in values:
        if isinstance(value, ListV) and name not in ("print", "len", "isinstance", "type"):
            value.count = None
    return UNKNOWN


def length(value: Value, label: str | None) -> Value:
    how = f"len({label})" if label else ""
    if isinstance(value, ArrayV) and value.samples is not None:
        return Num(value.samples.value, _derived(how, value.samples))
    if isinstance(value, ListV) and value.count is not None:
        return Num(value.count.value, _derived(how, value.count))
    if isinstance(value, TupleV):
        return Num(len(value.items))
    if isinstance(value, Const) and isinstance(value.value, str):
        return Num(len(value.value))
    if isinstance(value, RangeV) and value.count is not None:
        return value.count
    if isinstance(value, FrameV) and value.rows is not None:
        return Num(value.rows.value, _derived(how, value.rows))
    if isinstance(value, DatasetV) and value.samples is not None and value.batch is None:
        return Num(value.samples.value, _derived(how, value.samples))
    return UNKNOWN


def _derived(how: str, num: Num) -> str:
    return num.how or how


def range_(values: list[Value], args: Args) -> Value:
    if args.keywords or not 1 <= len(values) <= 3:
        return UNKNOWN
    if len(values) == 1:
        stop = values[0]
        if isinstance(stop, Num) and stop.int_value is not None:
            return RangeV(Num(max(0, stop.int_value), stop.how), 0, 1)
        return RangeV(None)
    start, stop = values[0], values[1]
    step = values[2] if len(values) == 3 else Num(1)
    if not (isinstance(step, Num) and step.int_value):
        return RangeV(None)
    if isinstance(start, Num) and isinstance(stop, Num):
        if start.int_value is None or stop.int_value is None:
            return RangeV(None)
        count = range_len(start.int_value, stop.int_value, step.int_value)
        how = f"range({fmt(start.value)}, {stop.how or fmt(stop.value)}"
        how += f", {fmt(step.value)})" if len(values) == 3 else ")"
        return RangeV(Num(count, how), start.int_value, step.int_value)
    if isinstance(start, Sym) and isinstance(stop, Sym) and start.var == stop.var:
        return RangeV(Num(range_len(start.offset, stop.offset, step.int_value)))
    return RangeV(None)


def index_sequence(base: TupleV | ListV, part: object) -> Value:
    items = base.items
    if items is None:
        if isinstance(base, ListV) and isinstance(part, tuple) and base.count is not None:
            bounds = plain_slice(part)
            n = base.count.int_value
            if bounds is None or n is None:
                return ListV(None, base.elem)
            return ListV(Num(slice_len(n, *bounds)), base.elem)
        return UNKNOWN
    if isinstance(part, Num) and part.int_value is not None:
        try:
            return items[part.int_value]
        except IndexError:
            return UNKNOWN
    if isinstance(part, tuple):
        bounds = plain_slice(part)
        if bounds is None:
            return UNKNOWN
        chosen = tuple(items[slice(*bounds)])
        if isinstance(base, TupleV):
            return TupleV(chosen)
        return ListV(Num(len(chosen)), base.elem, list(chosen))
    return UNKNOWN


def plain_slice(part: tuple[Value, ...]) -> tuple[int | None, int | None, int | None] | None:
    """A slice's (start, stop, step) when each is a literal integer or left out."""
    out: list[int | None] = []
    for bound in part:
        if isinstance(bound, Const) and bound.value is None:
            out.append(None)
        elif isinstance(bound, Num) and bound.int_value is not None:
            out.append(bound.int_value)
        else:
            return None
    return out[0], out[1], out[2]


def list_method(ex: Context, target: ListV, method: str, args: Args) -> Value:
    if method == "append" and len(args.positional) == 1 and not args.opaque:
        element = args.positional[0]
        shape = element_shape(element)
        factor = ex.repeat_factor(target.loop_depth)
        if target.count is None or factor is None or ex.frame.level != target.level:
            target.count = None
        else:
            before = target.count.value
            how = (
                factor.how if before == 0 else f"{fmt(before)} + {factor.how or fmt(factor.value)}"
            )
            target.count = Num(before + factor.value, how)
        if target.items is not None and not ex.in_loop:
            target.items.append(element)
        else:
            target.items = None
        if target.fresh:
            target.elem = shape
            target.fresh = False
        elif target.elem != shape:
            target.elem = None
        return Const(None)
    if method in ("sort", "reverse", "copy", "index", "count"):
        return UNKNOWN
    target.count = None
    target.items = None
    return UNKNOWN
