"""A seeded generator of realistic Keras training scripts and notebooks, for benchmarks.

``generate(folder, count, seed)`` writes ``count`` files made from templates: about 90%
``.py`` scripts and 10% ``.ipynb`` notebooks, 20-80 lines each, with varied import
spellings, model styles, layers, data pipelines, splits and training calls. About a
third carry one shape bug that shapelint reports (a stateful model fed a remainder,
a batch-size conflict, a stateful layer without a fixed batch size, Keras 3's
removed ``batch_input_shape=``, an input-shape or a rank mismatch); the rest are
clean. The same seed gives byte-identical files.

``mixed(folder, keras_files)`` copies those files and the running interpreter's
standard library into one tree: a stand-in for a real repository, where most of the
code never mentions Keras.

    python bench/corpus.py OUT_DIR [--count N] [--seed S]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import shutil
import sys
import sysconfig
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The rule each kind of planted bug triggers.
BUG_RULES = {
    "remainder": "SL001",
    "conflict": "SL002",
    "unfixed": "SL003",
    "batch_input_shape": "SL008",
    "features": "SL005",
    "rank": "SL006",
}
_BUG_WEIGHTS = {
    "remainder": 45,
    "conflict": 14,
    "unfixed": 10,
    "batch_input_shape": 13,
    "features": 9,
    "rank": 9,
}

# Directory names that some linter skips by default: kept out of the mixed corpus so
# that every tool sees the same .py files.
_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "CVS",
        ".tox",
        ".nox",
        ".eggs",
        ".venv",
        "venv",
        "__pycache__",
        "__pypackages__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".shapelint_cache",
        ".ipynb_checkpoints",
        "_build",
        "build",
        "dist",
        "buck-out",
        "node_modules",
        "site-packages",
        ".direnv",
        ".git-rewrite",
        ".pants.d",
        ".pytype",
        ".vscode",
    }
)


@dataclass(frozen=True)
class Generated:
    """One generated file and the rule its planted bug triggers (None: clean)."""

    path: Path
    rule: str | None


# --------------------------------------------------------------------------- names


_SPELLINGS = [
    ("keras", 18),
    ("from_tensorflow_import_keras", 12),
    ("keras_layers_module", 8),
    ("tf", 20),
    ("tensorflow_keras_from", 16),
    ("keras_from", 12),
    ("tf_keras", 8),
    ("tf_keras_from", 6),
]

_FROM_BASES = {
    "tensorflow_keras_from": "tensorflow.keras",
    "keras_from": "keras",
    "tf_keras_from": "tf_keras",
}
_PREFIXES = {
    "keras": ("keras", "import keras"),
    "from_tensorflow_import_keras": ("keras", "from tensorflow import keras"),
    "tf": ("tf.keras", "import tensorflow as tf"),
    "tf_keras": ("tf_keras", "import tf_keras"),
}


class Names:
    """How one script spells Keras objects, and the imports that spelling needs."""

    def __init__(self, spelling: str, rng: random.Random) -> None:
        self.spelling = spelling
        self.long_models = rng.random() < 0.4  # keras.models.Sequential vs keras.Sequential
        self.from_imports: dict[str, set[str]] = {}

    @property
    def keras2(self) -> bool:
        return self.spelling.startswith("tf_keras")

    @property
    def imports_tf(self) -> bool:
        return self.spelling == "tf"

    def _take(self, module: str, name: str) -> str:
        self.from_imports.setdefault(module, set()).add(name)
        return name

    def ref(self, kind: str, name: str) -> str:
        """``kind``: layers, models, optimizers or callbacks; Input is a layer."""
        spelling = self.spelling
        if spelling in _FROM_BASES:
            return self._take(f"{_FROM_BASES[spelling]}.{kind}", name)
        if spelling == "keras_layers_module":
            if kind == "layers" and name != "Input":
                return f"layers.{name}"
            prefix = "keras"
        else:
            prefix = _PREFIXES[spelling][0]
        if kind == "models" and not self.long_models:
            return f"{prefix}.{name}"
        if name == "Input" and not self.long_models:
            return f"{prefix}.Input"
        return f"{prefix}.{kind}.{name}"

    def layer(self, name: str) -> str:
        return self.ref("layers", name)

    def import_lines(self) -> list[str]:
        if self.spelling in _FROM_BASES:
            return [
                f"from {module} import {', '.join(sorted(names))}"
                for module, names in sorted(self.from_imports.items())
            ]
        if self.spelling == "keras_layers_module":
            return ["import keras", "from keras import layers"]
        return [_PREFIXES[self.spelling][1]]


# --------------------------------------------------------------------------- plans

_DOMAINS = [
    ("hourly electricity load of a substation", "load", "energy"),
    ("daily closing prices of a stock", "prices", "stock"),
    ("air-quality sensor readings", "readings", "airq"),
    ("page views of a web site per hour", "traffic", "traffic"),
    ("weekly sales of a store", "sales", "sales"),
    ("temperature, humidity and pressure of a weather station", "weather", "weather"),
    ("heart-rate monitor samples", "signal", "ecg"),
    ("power output of a wind turbine", "power", "wind"),
    ("accelerometer traces of a phone", "accel", "har"),
    ("water levels of a river gauge", "levels", "river"),
    ("CPU usage of a server fleet", "usage", "cpu"),
    ("taxi pickups per zone and hour", "pickups", "taxi"),
]

_NAME_FAMILIES = [
    # whole set, train part, test part
    (("X", "y"), ("X_train", "y_train"), ("X_test", "y_test")),
    (("x", "y"), ("x_train", "y_train"), ("x_test", "y_test")),
    (("X", "Y"), ("trainX", "trainY"), ("testX", "testY")),
    (("inputs", "targets"), ("train_x", "train_y"), ("val_x", "val_y")),
    (("windows", "labels"), ("x_tr", "y_tr"), ("x_te", "y_te")),
]

_CONSTANT_NAMES = [
    # batch, window, features
    ("batch_size", "look_back", "n_features"),
    ("BATCH_SIZE", "WINDOW", "N_FEATURES"),
    ("BATCH", "TIMESTEPS", "FEATURES"),
    ("bs", "n_steps", "n_feat"),
    ("batch_size", "window_size", "input_dim"),
    ("BATCH_SIZE", "LOOK_BACK", "NUM_FEATURES"),
]

_HELPER_NAMES = [
    ("make_windows", "data", "look_back"),
    ("create_dataset", "dataset", "look_back"),
    ("split_sequence", "sequence", "n_steps"),
    ("to_supervised", "values", "window"),
    ("sliding_windows", "series", "width"),
]

_STATEFUL_BATCHES = [1, 1, 2, 4, 5, 8, 10, 16, 20, 25, 30, 32, 50, 64, 100, 128]
_PLAIN_BATCHES = [16, 32, 32, 64, 64, 128, 256]
_WINDOWS = [5, 7, 10, 12, 14, 20, 24, 30, 48, 50, 60, 90]
_FEATURES = [1, 1, 2, 3, 4, 5, 6, 7, 8, 12]


@dataclass
class Plan:
    """Every choice behind one script; counts are worked out before anything is rendered."""

    bug: str | None
    notebook: bool
    stateful: bool
    spelling: str
    domain: tuple[str, str, str]
    family: tuple[tuple[str, str], tuple[str, str], tuple[str, str]]
    constants: tuple[str, str, str]
    helper: tuple[str, str, str]
    data: str  # direct, helper, helper_1d, comprehension, split_first
    split: str  # none, index, sklearn (split_first always splits raw by index)
    source: str  # rand, zeros, default_rng, normal, sine
    scale: bool
    target: str  # last, seq, multi
    model_style: str  # add, list, functional
    builder: bool
    recurrent: list[str]  # LSTM, GRU, SimpleRNN, Bidirectional
    conv_front: bool
    dense_head: bool
    dropout: float
    batch_via: str  # batch_shape, batch_size_kw, batch_input_shape, shape, input_shape
    feed: str  # arrays, loop, tfdata
    drop_remainder: bool
    use_argparse: bool
    use_main: bool
    plot: bool
    save: bool
    early_stopping: bool
    batch: int
    window: int
    features: int
    off: int  # the helper's "- 1" in range(len(data) - look_back - 1)
    frac: float
    test_size: float
    rows: int = 0
    trim: bool = False
    conflict_call: str = ""  # fit or predict: the call that leaves out batch_size


def _pick(rng: random.Random, weights: dict[str, int] | list[tuple[str, int]]) -> str:
    items = list(weights.items()) if isinstance(weights, dict) else weights
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


def _plan(rng: random.Random, notebook: bool) -> Plan:
    bug = _pick(rng, _BUG_WEIGHTS) if rng.random() < 1 / 3 else None
    if bug in ("remainder", "conflict", "unfixed", "batch_input_shape"):
        stateful = True
    elif bug is None:
        stateful = rng.random() < 0.45
    else:
        stateful = rng.random() < 0.4
    spelling = _pick(rng, _SPELLINGS)
    if bug == "batch_input_shape":
        while spelling.startswith("tf_keras"):
            spelling = _pick(rng, _SPELLINGS)
    data = _pick(
        rng,
        {"direct": 20, "helper": 35, "helper_1d": 15, "comprehension": 15, "split_first": 15},
    )
    target = "last"
    if data in ("helper", "direct") and rng.random() < 0.25:
        target = rng.choice(["seq", "multi"])
    n_rnn = rng.choice([1, 1, 2, 2, 2, 3])
    if bug == "rank":
        n_rnn = max(n_rnn, 2)
    kinds = ["LSTM", "LSTM", "LSTM", "GRU", "GRU", "SimpleRNN"]
    if not stateful:
        kinds += ["Bidirectional", "Bidirectional"]
    recurrent = [rng.choice(kinds) for _ in range(n_rnn)]
    model_style = _pick(rng, {"add": 40, "list": 30, "functional": 30})
    if bug == "batch_input_shape":
        model_style = rng.choice(["add", "add", "list"])
    keras2 = spelling.startswith("tf_keras")
    if bug == "batch_input_shape":
        batch_via = "batch_input_shape"
    elif bug == "unfixed":
        batch_via = "shape" if model_style == "functional" else rng.choice(["shape", "input_shape"])
    elif stateful:
        options = ["batch_shape", "batch_shape", "batch_size_kw"]
        if keras2 and model_style != "functional":
            options += ["batch_input_shape"] * 3
        batch_via = rng.choice(options)
    else:
        options = ["shape", "shape", "batch_shape"]
        if model_style != "functional":
            options += ["input_shape"] * 3
        batch_via = rng.choice(options)
    features = 1 if data == "helper_1d" else rng.choice(_FEATURES)
    if target == "multi" and features == 1:
        target = "last"
    feed = _pick(
        rng, {"arrays": 60, "loop": 25, "tfdata": 15} if stateful else {"arrays": 80, "tfdata": 20}
    )
    batches = _STATEFUL_BATCHES if stateful else _PLAIN_BATCHES
    batch = rng.choice(batches)
    if bug == "remainder":
        while batch == 1:
            batch = rng.choice(batches)
    if bug == "conflict":
        while batch == 32:
            batch = rng.choice(batches)
    split = (
        "index" if data == "split_first" else _pick(rng, {"none": 25, "index": 40, "sklearn": 35})
    )
    plan = Plan(
        bug=bug,
        notebook=notebook,
        stateful=stateful,
        spelling=spelling,
        domain=rng.choice(_DOMAINS),
        family=rng.choice(_NAME_FAMILIES),
        constants=rng.choice(_CONSTANT_NAMES),
        helper=rng.choice(_HELPER_NAMES),
        data=data,
        split=split,
        source=_pick(rng, {"rand": 40, "zeros": 5, "default_rng": 20, "normal": 15, "sine": 20}),
        scale=rng.random() < 0.3,
        target=target,
        model_style=model_style,
        builder=rng.random() < 0.25,
        recurrent=recurrent,
        conv_front=rng.random() < 0.15,
        dense_head=rng.random() < 0.35,
        dropout=rng.choice([0.0, 0.0, 0.1, 0.2, 0.2, 0.3, 0.5]),
        batch_via=batch_via,
        feed=feed,
        drop_remainder=stateful and feed == "tfdata" and bug != "remainder" and rng.random() < 0.6,
        use_argparse=not notebook and rng.random() < 0.3,
        use_main=not notebook and rng.random() < 0.2,
        plot=rng.random() < 0.3,
        save=rng.random() < 0.4,
        early_stopping=rng.random() < 0.3,
        batch=batch,
        window=rng.choice(_WINDOWS),
        features=features,
        off=rng.choice([0, 0, 1]) if data in ("helper", "helper_1d", "split_first") else 0,
        frac=rng.choice([0.67, 0.7, 0.75, 0.8, 0.8, 0.9]),
        test_size=rng.choice([0.1, 0.15, 0.2, 0.2, 0.25, 0.3]),
    )
    if bug == "conflict":
        plan.conflict_call = (
            "fit" if split == "none" or feed == "tfdata" else rng.choice(["fit", "predict"])
        )
        if plan.conflict_call == "fit" and feed == "tfdata":
            plan.feed = "arrays"
    _choose_rows(plan, rng)
    return plan


def _counts(plan: Plan, rows: int) -> tuple[int, int | None]:
    """(samples that fit trains on, samples that evaluate/predict see, None: the same)."""
    window, off = plan.window, plan.off
    if plan.data == "split_first":
        train_rows = int(rows * plan.frac)
        return train_rows - window - off, rows - train_rows - window - off
    samples = rows if plan.data == "direct" else rows - window - off
    if plan.split == "index":
        train = int(samples * plan.frac)
        return train, samples - train
    if plan.split == "sklearn":
        test = math.ceil(plan.test_size * samples)
        return samples - test, test
    return samples, None


def _choose_rows(plan: Plan, rng: random.Random) -> None:
    """Pick the number of rows so that the planted remainder is there, or is not."""
    low, high = (200, 12000) if plan.data == "direct" else (400, 15000)
    b = plan.batch
    judged = plan.stateful and not (plan.feed == "tfdata" and plan.drop_remainder)
    for _ in range(4000):
        rows = rng.randint(low, high)
        train, test = _counts(plan, rows)
        if train < 4 * b or (test is not None and test < 2 * b):
            continue
        if plan.bug == "remainder":
            if train % b:
                break
        elif not judged or (train % b == 0 and (test is None or test % b == 0)):
            break
    else:
        plan.trim = True  # clean by trimming to whole batches in the script itself
        rows = high
    plan.rows = rows


# --------------------------------------------------------------------------- render


class Script:
    """The lines of one script, in sections that a notebook turns into cells."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.p = plan
        self.rng = rng
        self.k = Names(plan.spelling, rng)
        self.imports: set[str] = {"import numpy as np"}
        self.sections: list[tuple[str, list[str]]] = []
        self.functions: list[list[str]] = []
        self.b_name, self.w_name, self.f_name = plan.constants
        self.with_lr = False  # --lr is an argument
        self.in_builder = False  # inside build_model(), where args is not in scope
        (self.X, self.y), (self.Xtr, self.ytr), (self.Xte, self.yte) = plan.family

    # -- pieces

    def docstring(self) -> list[str]:
        p = self.p
        kind = p.recurrent[-1] if p.recurrent[-1] != "Bidirectional" else "bidirectional LSTM"
        what = f"{'a stateful ' if p.stateful else 'an ' if kind[0] in 'AEIOU' else 'a '}{kind}"
        verb = self.rng.choice(["Forecast", "Predict", "Model", "Learn"])
        first = f"{verb} {p.domain[0]} with {what}."
        details = self.rng.choice(
            [
                f"Windows of {p.window} steps, {p.features} feature(s) per step.",
                "Synthetic data stands in for the real export until the pipeline is ready.",
                "Quick experiment; numbers are not tuned.",
                "Run from the repository root.",
                "Trains, evaluates on the held-out tail and saves the model.",
            ]
        )
        style = self.rng.random()
        if style < 0.6:
            return ['"""' + first, "", details, '"""']
        if style < 0.8:
            return ["# " + first, "# " + details]
        return ['"""' + first + '"""']

    def constants(self) -> list[str]:
        p = self.p
        lines = []
        if self.rng.random() < 0.5:
            lines.append("# hyper-parameters")
        lines.append(f"{self.b_name} = {p.batch}")
        lines.append(f"{self.w_name} = {p.window}")
        if p.data != "helper_1d":
            n_features = p.features + 1 if p.bug == "features" else p.features
            lines.append(f"{self.f_name} = {n_features}")
        if not p.use_argparse:
            lines.append(f"EPOCHS = {self.rng.choice([5, 10, 20, 50, 100])}")
        return lines

    def argparse_lines(self) -> list[str]:
        self.imports.add("import argparse")
        lines = [
            f'parser = argparse.ArgumentParser(description="{self.p.domain[0]}")',
            f'parser.add_argument("--epochs", type=int, default={self.rng.choice([10, 20, 50])})',
            f'parser.add_argument("--units", type=int, default={self.rng.choice([32, 64, 128])})',
        ]
        if self.rng.random() < 0.5:
            lines.append('parser.add_argument("--lr", type=float, default=1e-3)')
            self.with_lr = True
        out = "model.h5" if self.k.keras2 else "model.keras"
        lines.append(f'parser.add_argument("--out", default="{out}")')
        lines.append("args = parser.parse_args()")
        return lines

    def epochs(self) -> str:
        return "args.epochs" if self.p.use_argparse else "EPOCHS"

    def units(self, index: int) -> str:
        if self.p.use_argparse and index == 0 and not self.in_builder:
            return "args.units"
        return str(self.rng.choice([16, 32, 50, 64, 100, 128, 256]) >> min(index, 2))

    def raw_lines(self, name: str, one_d: bool) -> list[str]:
        p = self.p
        rows = str(p.rows)
        cols = self.f_name if p.bug != "features" else str(p.features)
        shape = rows if one_d else f"{rows}, {cols}"
        source = p.source
        if one_d and source == "zeros":
            source = "rand"
        if source == "sine":
            if one_d:
                return [
                    f"t = np.arange({rows})",
                    f"{name} = np.sin(t * 0.05) + 0.1 * np.random.rand({rows})",
                ]
            source = "rand"
        if source == "rand":
            line = f"{name} = np.random.rand({shape})"
        elif source == "zeros":
            line = f"{name} = np.zeros(({shape}))"
            return [line, f"{name}[:, 0] = np.linspace(0.0, 1.0, {rows})"]
        elif source == "default_rng":
            return [
                f"rng = np.random.default_rng({self.rng.randint(0, 99)})",
                f"{name} = rng.random(({shape}))" if not one_d else f"{name} = rng.random({rows})",
            ]
        else:
            line = f"{name} = np.random.normal(0.0, 1.0, size=({shape}{',' if one_d else ''}))"
        if self.rng.random() < 0.4 and not one_d:
            line += '.astype("float32")'
        return [line]

    def helper_function(self) -> list[str]:
        p = self.p
        name, data, look = self.helper
        minus = f"len({data}) - {look}" + (" - 1" if p.off else "")
        xs, ys = self.rng.choice([("xs", "ys"), ("X", "y"), ("data_x", "data_y")])
        one_d = p.data == "helper_1d"
        if one_d:
            x_item, y_item = f"{data}[i:i + {look}]", f"{data}[i + {look}]"
        elif p.target == "seq":
            x_item, y_item = f"{data}[i:i + {look}]", f"{data}[i + 1:i + {look} + 1, :1]"
        elif p.target == "multi":
            x_item, y_item = f"{data}[i:i + {look}]", f"{data}[i + {look}]"
        else:
            x_item, y_item = f"{data}[i:i + {look}]", f"{data}[i + {look}, 0]"
        doc = self.rng.choice(
            [
                f'    """Overlapping windows of {look} steps and the value that follows each."""',
                f'    """Turn a series into (samples, {look}, features) windows."""',
                "    # one sample per start index; the target is the step after the window",
            ]
        )
        return [
            f"def {name}({data}, {look}):",
            doc,
            f"    {xs}, {ys} = [], []",
            f"    for i in range({minus}):",
            f"        {xs}.append({x_item})",
            f"        {ys}.append({y_item})",
            f"    return np.array({xs}), np.array({ys})",
        ]

    @property
    def helper(self) -> tuple[str, str, str]:
        return self.p.helper

    def scale_lines(self, name: str) -> list[str]:
        self.imports.add("from sklearn.preprocessing import MinMaxScaler")
        return [
            "scaler = MinMaxScaler(feature_range=(0, 1))",
            f"{name} = scaler.fit_transform({name})",
        ]

    def data_lines(self) -> list[str]:
        p = self.p
        raw = p.domain[1]
        X, y = self.X, self.y
        lines: list[str] = []
        if p.data == "direct":
            n = "n_samples"
            lines.append(f"{n} = {p.rows}")
            cols = self.f_name if p.bug != "features" else str(p.features)
            lines.append(f'{X} = np.random.rand({n}, {self.w_name}, {cols}).astype("float32")')
            if p.target == "seq":
                lines.append(f"{y} = np.random.rand({n}, {self.w_name}, 1)")
            elif p.target == "multi":
                lines.append(f"{y} = np.random.rand({n}, {cols})")
            else:
                lines.append(f"{y} = np.random.rand({n}{self.rng.choice(['', ', 1'])})")
        elif p.data in ("helper", "helper_1d"):
            self.functions.append(self.helper_function())
            lines += self.raw_lines(raw, p.data == "helper_1d")
            if p.scale and p.data == "helper":
                lines += self.scale_lines(raw)
            lines.append(f"{X}, {y} = {self.helper[0]}({raw}, {self.w_name})")
            if p.data == "helper_1d":
                if self.rng.random() < 0.5:
                    lines.append(f"{X} = {X}.reshape(({X}.shape[0], {X}.shape[1], 1))")
                else:
                    lines.append(f"{X} = np.reshape({X}, ({X}.shape[0], {X}.shape[1], 1))")
        elif p.data == "comprehension":
            lines += self.raw_lines(raw, False)
            if p.scale:
                lines += self.scale_lines(raw)
            w = self.w_name
            lines.append(f"{X} = np.array([{raw}[i:i + {w}] for i in range(len({raw}) - {w})])")
            lines.append(f"{y} = {raw}[{w}:, {self.rng.choice(['0', ':1'])}]")
        else:  # split_first
            self.functions.append(self.helper_function())
            lines += self.raw_lines(raw, False)
            if p.scale:
                lines += self.scale_lines(raw)
            lines += [
                f"train_size = int(len({raw}) * {p.frac})",
                f"train, test = {raw}[:train_size], {raw}[train_size:]",
                f"{self.Xtr}, {self.ytr} = {self.helper[0]}(train, {self.w_name})",
                f"{self.Xte}, {self.yte} = {self.helper[0]}(test, {self.w_name})",
            ]
        if self.rng.random() < 0.4:
            shown = X if p.data != "split_first" else self.Xtr
            lines.append(f'print("{shown}:", {shown}.shape)')
        return lines

    def split_lines(self) -> list[str]:
        p = self.p
        X, y, Xtr, ytr, Xte, yte = self.X, self.y, self.Xtr, self.ytr, self.Xte, self.yte
        if p.data == "split_first" or p.split == "none":
            return []
        if p.split == "index":
            n = self.rng.choice(["split", "n_train", "train_size"])
            measure = f"len({X})" if self.rng.random() < 0.7 else f"{X}.shape[0]"
            return [
                f"{n} = int({measure} * {p.frac})",
                f"{Xtr}, {Xte} = {X}[:{n}], {X}[{n}:]",
                f"{ytr}, {yte} = {y}[:{n}], {y}[{n}:]",
            ]
        self.imports.add("from sklearn.model_selection import train_test_split")
        tail = "shuffle=False" if p.stateful or self.rng.random() < 0.5 else "random_state=42"
        return [
            f"{Xtr}, {Xte}, {ytr}, {yte} = train_test_split(",
            f"    {X}, {y}, test_size={p.test_size}, {tail}",
            ")",
        ]

    def trim_lines(self) -> list[str]:
        if not self.p.trim:
            return []
        b = self.b_name
        lines = ["# a stateful model needs whole batches: drop the tail"]
        if self.has_test:
            pairs = [(self.Xtr, self.ytr, "n_train"), (self.Xte, self.yte, "n_test")]
        else:
            pairs = [(self.train_x, self.train_y, "n_keep")]
        for xs, ys, n in pairs:
            lines.append(f"{n} = len({xs}) // {b} * {b}")
            lines.append(f"{xs}, {ys} = {xs}[:{n}], {ys}[:{n}]")
        return lines

    @property
    def has_test(self) -> bool:
        return self.p.data == "split_first" or self.p.split != "none"

    @property
    def train_x(self) -> str:
        return self.Xtr if self.has_test else self.X

    @property
    def train_y(self) -> str:
        return self.ytr if self.has_test else self.y

    # -- the model

    def input_dims(self, builder: bool) -> tuple[str, str, str]:
        p = self.p
        if builder:
            b, w, f = "batch_size", "timesteps", "n_features"
        else:
            b, w, f = self.b_name, self.w_name, self.f_name
        if p.data == "helper_1d":
            f = self.one_d_features
        return b, w, f

    @property
    def one_d_features(self) -> str:
        return "2" if self.p.bug == "features" else "1"

    def layer_specs(self, dims: tuple[str, str, str]) -> list[tuple[str, list[str]]]:
        """(callee, arguments) for each layer after the input."""
        p = self.p
        k = self.k
        specs: list[tuple[str, list[str]]] = []
        if p.conv_front:
            pad = self.rng.choice(["same", "causal"])
            specs.append(
                (
                    k.layer("Conv1D"),
                    [
                        f"filters={self.rng.choice([16, 32, 64])}",
                        "kernel_size=3",
                        f'padding="{pad}"',
                        'activation="relu"',
                    ],
                )
            )
        n = len(p.recurrent)
        for i, kind in enumerate(p.recurrent):
            last = i == n - 1
            sequences = not last or p.target == "seq"
            if p.bug == "rank" and i == 0:
                sequences = False
            args = [self.units(i)]
            if sequences:
                args.append("return_sequences=True")
            if p.stateful:
                args.append("stateful=True")
            if p.dropout and kind != "Bidirectional" and self.rng.random() < 0.5:
                args.append(f"dropout={p.dropout}")
            if kind == "Bidirectional":
                inner = self.rng.choice(["LSTM", "GRU"])
                specs.append((k.layer("Bidirectional"), [f"{k.layer(inner)}({', '.join(args)})"]))
            else:
                specs.append((k.layer(kind), args))
            if p.dropout and not last and self.rng.random() < 0.5:
                specs.append((k.layer("Dropout"), [str(p.dropout)]))
        if p.dense_head:
            specs.append(
                (k.layer("Dense"), [str(self.rng.choice([8, 16, 32])), 'activation="relu"'])
            )
        out = dims[2] if p.target == "multi" else "1"
        if p.target == "seq" and self.rng.random() < 0.6:
            specs.append((k.layer("TimeDistributed"), [f"{k.layer('Dense')}({out})"]))
        else:
            specs.append((k.layer("Dense"), [out]))
        return specs

    def model_lines(self, builder: bool) -> list[str]:
        p = self.p
        k = self.k
        dims = self.input_dims(builder)
        b, w, f = dims
        specs = self.layer_specs(dims)
        via = p.batch_via
        first_kw = ""
        if via == "batch_input_shape":
            first_kw = f"batch_input_shape=({b}, {w}, {f})"
        elif via == "input_shape":
            first_kw = f"input_shape=({w}, {f})"
        inp = k.layer("Input")
        if via == "batch_shape":
            input_call = f"{inp}(batch_shape=({b}, {w}, {f}))"
        elif via == "batch_size_kw":
            input_call = f"{inp}(shape=({w}, {f}), batch_size={b})"
        elif via == "shape" or p.model_style == "functional":
            input_call = f"{inp}(shape=({w}, {f}))"
        else:
            input_call = ""

        def call(spec: tuple[str, list[str]], extra: str = "") -> str:
            args = spec[1] + ([extra] if extra else [])
            return f"{spec[0]}({', '.join(args)})"

        lines: list[str] = []
        if p.model_style == "functional":
            # tensor names that do not clash with the data's
            tensor_in = "inp" if self.X == "inputs" else "inputs"
            hidden = "h" if self.X == "x" else self.rng.choice(["x", "h", "hidden"])
            lines.append(f"{tensor_in} = {input_call}")
            current = tensor_in
            for spec in specs[:-1]:
                lines.append(f"{hidden} = {call(spec)}({current})")
                current = hidden
            lines.append(f"outputs = {call(specs[-1])}({current})")
            model_cls = k.ref("models", "Model")
            if self.rng.random() < 0.5:
                lines.append(f"model = {model_cls}(inputs={tensor_in}, outputs=outputs)")
            else:
                lines.append(f"model = {model_cls}({tensor_in}, outputs)")
        elif p.model_style == "list":
            seq = k.ref("models", "Sequential")
            lines.append(f"model = {seq}([")
            if input_call:
                lines.append(f"    {input_call},")
            for i, spec in enumerate(specs):
                lines.append(f"    {call(spec, first_kw if i == 0 else '')},")
            lines.append("])")
        else:
            seq = k.ref("models", "Sequential")
            lines.append(f"model = {seq}()")
            if input_call:
                lines.append(f"model.add({input_call})")
            for i, spec in enumerate(specs):
                lines.append(f"model.add({call(spec, first_kw if i == 0 else '')})")
        lines += self.compile_lines()
        return lines

    def compile_lines(self) -> list[str]:
        loss = self.rng.choice(['"mse"', '"mean_squared_error"', '"mae"', '"huber"'])
        if self.with_lr and not self.in_builder:
            opt = f"{self.k.ref('optimizers', 'Adam')}(learning_rate=args.lr)"
        elif self.rng.random() < 0.25:
            opt = f"{self.k.ref('optimizers', 'Adam')}(learning_rate=0.001)"
        else:
            opt = self.rng.choice(['"adam"', '"adam"', '"rmsprop"'])
        metrics = ', metrics=["mae"]' if self.rng.random() < 0.3 else ""
        return [f"model.compile(loss={loss}, optimizer={opt}{metrics})"]

    def builder_function(self) -> list[str]:
        params = "batch_size, timesteps, n_features" if self.p.stateful else "timesteps, n_features"
        self.in_builder = True
        body = self.model_lines(builder=True)
        self.in_builder = False
        lines = [f"def build_model({params}):"]
        if self.rng.random() < 0.5:
            lines.append('    """The network; stateful layers need the batch size in the input."""')
        lines += ["    " + line for line in body]
        lines.append("    return model")
        return lines

    def builder_call(self) -> str:
        f = self.f_name if self.p.data != "helper_1d" else self.one_d_features
        if self.p.stateful:
            return f"model = build_model({self.b_name}, {self.w_name}, {f})"
        return f"model = build_model({self.w_name}, {f})"

    # -- training

    def batch_arg(self, call: str) -> str:
        p = self.p
        if p.bug == "conflict" and p.conflict_call == call:
            return ""
        if p.stateful:
            return f", batch_size={self.b_name}"
        if call == "fit" and self.rng.random() < 0.7:
            return f", batch_size={self.b_name}"
        return ""

    def train_lines(self) -> list[str]:
        p = self.p
        k = self.k
        Xtr, ytr = self.train_x, self.train_y
        lines: list[str] = []
        verbose = self.rng.choice(["", ", verbose=2", ", verbose=1", ", verbose=0"])
        history = "history = " if p.plot else self.rng.choice(["", "history = "])
        if p.feed == "tfdata":
            if not self.k.imports_tf:
                self.imports.add("import tensorflow as tf")
            drop = ", drop_remainder=True" if p.drop_remainder else ""
            shuffle = "" if p.stateful else f".shuffle({self.rng.choice([256, 1000, 2048])})"
            lines += [
                "train_ds = (",
                f"    tf.data.Dataset.from_tensor_slices(({Xtr}, {ytr}))",
            ]
            if shuffle:
                lines.append(f"    {shuffle}")
            lines += [f"    .batch({self.b_name}{drop})", "    .prefetch(tf.data.AUTOTUNE)", ")"]
            lines.append(f"{history}model.fit(train_ds, epochs={self.epochs()}{verbose})")
            if self.has_test:
                lines.append(
                    f"test_ds = tf.data.Dataset.from_tensor_slices(({self.Xte}, {self.yte}))"
                    f".batch({self.b_name}{drop})"
                )
                lines.append("print(model.evaluate(test_ds, verbose=0))")
            return lines
        shuffle = ""
        if p.stateful:
            shuffle = ", shuffle=False"
        elif self.rng.random() < 0.3:
            shuffle = ", shuffle=True"
        validation = ""
        callbacks = ""
        if not p.stateful:
            if self.has_test and self.rng.random() < 0.4:
                validation = f", validation_data=({self.Xte}, {self.yte})"
            elif self.rng.random() < 0.3:
                validation = ", validation_split=0.1"
            if validation and p.early_stopping:
                stop = k.ref("callbacks", "EarlyStopping")
                lines.append(f'early_stop = {stop}(monitor="val_loss", patience=5)')
                callbacks = ", callbacks=[early_stop]"
        fit_args = f"{Xtr}, {ytr}"
        if p.feed == "loop":
            reset = self.reset_line()
            lines += [
                f"for epoch in range({self.epochs()}):",
                f"    model.fit({fit_args}, epochs=1{self.batch_arg('fit')}{shuffle}, verbose=0)",
                f"    {reset}",
            ]
            if self.rng.random() < 0.5:
                lines.append('    print("epoch", epoch + 1, "done")')
            history = ""
        else:
            call = (
                f"{history}model.fit({fit_args}, epochs={self.epochs()}"
                f"{self.batch_arg('fit')}{shuffle}{validation}{callbacks}{verbose})"
            )
            if len(call) > 95:
                call = (
                    f"{history}model.fit(\n    {fit_args}, epochs={self.epochs()}"
                    f"{self.batch_arg('fit')}{shuffle}{validation}{callbacks}{verbose}\n)"
                )
            lines += call.split("\n")
        if self.has_test:
            if self.rng.random() < 0.6:
                lines.append(
                    f"score = model.evaluate({self.Xte}, {self.yte}{self.batch_arg('evaluate')}"
                    ", verbose=0)"
                )
                lines.append('print("test loss:", score)')
            lines.append(f"predictions = model.predict({self.Xte}{self.batch_arg('predict')})")
        elif self.rng.random() < 0.5:
            lines.append(f"predictions = model.predict({self.X}{self.batch_arg('predict')})")
        if p.plot and history:
            self.imports.add("import matplotlib.pyplot as plt")
            lines += [
                'plt.plot(history.history["loss"], label="loss")',
                "plt.legend()",
                f'plt.savefig("{p.domain[2]}_loss.png")',
            ]
        return lines

    def reset_line(self) -> str:
        if self.k.keras2:
            return "model.reset_states()"
        return self.rng.choice(
            [
                "model.layers[0].reset_states()",
                'for layer in model.layers:\n        if hasattr(layer, "reset_states"):\n'
                "            layer.reset_states()",
            ]
        )

    def save_lines(self) -> list[str]:
        if not self.p.save:
            return []
        if self.p.use_argparse:
            return ["model.save(args.out)"]
        return [f'model.save("{self.p.domain[2]}_model.{"h5" if self.k.keras2 else "keras"}")']

    # -- assemble

    def build(self) -> None:
        p = self.p
        header = self.constants()
        data = self.data_lines() + self.split_lines() + self.trim_lines()
        if p.builder:
            self.functions.append(self.builder_function())
            model = [self.builder_call()]
        else:
            model = self.model_lines(builder=False)
        if self.rng.random() < 0.3:
            model.append("model.summary()")
        train = self.train_lines() + self.save_lines()
        self.sections = [("Parameters", header)]
        if p.use_argparse:
            self.sections.append(("Arguments", self.argparse_lines()))
        self.sections += [("Data", data), ("Model", model), ("Training", train)]
        self.sections = [
            (title, [line for chunk in lines for line in chunk.split("\n")])
            for title, lines in self.sections
        ]

    def import_block(self) -> list[str]:
        std = sorted(line for line in self.imports if line.startswith("import argparse"))
        third = sorted(
            (line for line in self.imports if not line.startswith("import argparse")),
            key=lambda line: line.split()[1],
        )
        keras = self.k.import_lines()
        if self.k.imports_tf:
            third = [line for line in third if line != "import tensorflow as tf"]
        lines = std + ([""] if std else []) + third + keras
        return lines

    def render_py(self) -> str:
        p = self.p
        self.build()
        out = self.docstring() + self.import_block() + [""]
        header = self.sections[0][1]
        out += header + [""]
        for function in self.functions:
            out += ["", *function, "", ""]
        body: list[str] = []
        for title, lines in self.sections[1:]:
            if self.rng.random() < 0.5:
                body.append(f"# {title.lower()}")
            body += lines + [""]
        while body and body[-1] == "":
            body.pop()
        if p.use_main:
            out += ["def main():"] + [("    " + line if line else "") for line in body]
            out += ["", "", 'if __name__ == "__main__":', "    main()"]
        else:
            out += body
        text = "\n".join(out)
        while "\n\n\n\n" in text:
            text = text.replace("\n\n\n\n", "\n\n\n")
        return text.strip("\n") + "\n"

    def render_ipynb(self) -> str:
        self.build()
        rng = self.rng
        cells: list[dict[str, object]] = []

        def markdown(text: str) -> None:
            cells.append(_cell("markdown", text, rng))

        def code(lines: list[str]) -> None:
            cells.append(_cell("code", "\n".join(lines).strip("\n"), rng))

        markdown(
            f"# {self.p.domain[0].capitalize()}\n\n{self.docstring()[0].strip(chr(34) + '# ')}"
        )
        magics = rng.sample(
            [
                "%matplotlib inline",
                "!pip install -q tensorflow scikit-learn",
                "%load_ext autoreload",
                "!nvidia-smi",
            ],
            rng.randint(1, 3),
        )
        if "%load_ext autoreload" in magics:
            magics.insert(magics.index("%load_ext autoreload") + 1, "%autoreload 2")
        code(magics + self.import_block())
        code(self.sections[0][1])
        for function in self.functions:
            code(function)
        for title, lines in self.sections[1:]:
            if rng.random() < 0.7:
                markdown(f"## {title}")
            code(lines)
            if title == "Data" and rng.random() < 0.5:
                code([f"{self.train_x}.shape, {self.train_y}.shape"])
        notebook = {
            "cells": cells,
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python", "version": "3.11"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        return json.dumps(notebook, indent=1) + "\n"


def _cell(kind: str, text: str, rng: random.Random) -> dict[str, object]:
    lines = text.split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    cell: dict[str, object] = {
        "cell_type": kind,
        "id": f"{rng.getrandbits(32):08x}",
        "metadata": {},
    }
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    cell["source"] = source
    return cell


# --------------------------------------------------------------------------- API


def generate_labelled(folder: Path, count: int = 1000, seed: int = 0) -> list[Generated]:
    """Write ``count`` files under ``folder``; each comes with the rule its bug triggers."""
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "scripts").mkdir(parents=True, exist_ok=True)
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        notebook = rng.random() < 0.1
        plan = _plan(rng, notebook)
        script = Script(plan, rng)
        text = script.render_ipynb() if notebook else script.render_py()
        kind = plan.recurrent[-1].lower()
        stem = f"{index:04d}_{plan.domain[2]}_{'stateful_' if plan.stateful else ''}{kind}"
        path = (
            folder
            / ("notebooks" if notebook else "scripts")
            / (stem + (".ipynb" if notebook else ".py"))
        )
        path.write_text(text, encoding="utf-8", newline="\n")
        made.append(Generated(path, BUG_RULES[plan.bug] if plan.bug else None))
    return made


def generate(folder: Path, count: int = 1000, seed: int = 0) -> list[Path]:
    """Write ``count`` Keras scripts and notebooks under ``folder``, reproducibly."""
    return [item.path for item in generate_labelled(folder, count, seed)]


def stdlib_files() -> list[tuple[Path, Path]]:
    """(file, path relative to the standard library) for every readable UTF-8 .py file,
    outside folders that some linter skips by default (site-packages, build, ...)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _EXCLUDED_DIRS)
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = Path(directory) / name
            if not path.is_file():
                continue
            if not _readable(path):
                continue
            found.append((path, path.relative_to(root)))
    return found


def _readable(path: Path) -> bool:
    """Valid UTF-8, and decodable as Python source (with its own coding cookie)."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        data.decode(encoding)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return False
    return True


def mixed(folder: Path, keras_files: list[Path]) -> list[Path]:
    """Copy ``keras_files`` and the standard library's .py files into ``folder``."""
    folder = Path(folder)
    made = []
    common = Path(os.path.commonpath([str(p.parent) for p in keras_files])) if keras_files else None
    for path in keras_files:
        target = folder / "keras" / path.relative_to(common) if common else folder / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        made.append(target)
    for path, relative in stdlib_files():
        target = folder / "stdlib" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        made.append(target)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a seeded corpus of Keras scripts.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    made = generate_labelled(args.out_dir, args.count, args.seed)
    rules = Counter(item.rule for item in made if item.rule)
    notebooks = sum(item.path.suffix == ".ipynb" for item in made)
    buggy = sum(rules.values())
    print(
        f"wrote {len(made)} files to {args.out_dir} ({len(made) - notebooks} .py, "
        f"{notebooks} .ipynb); {buggy} with a planted bug: "
        + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
