"""The Keras losses whose demands on the targets shapelint knows, by every spelling compile
accepts: the string (``"categorical_crossentropy"``, ``"mse"``), the function of
``keras.losses`` and the class (``CategoricalCrossentropy``)."""

from __future__ import annotations

from typing import Literal

Kind = Literal["categorical", "sparse", "binary", "elementwise"]

# The function name of each loss, with its kind: the string compile takes.
_FUNCTIONS: dict[str, Kind] = {
    "categorical_crossentropy": "categorical",
    "sparse_categorical_crossentropy": "sparse",
    "binary_crossentropy": "binary",
    "mean_squared_error": "elementwise",
    "mean_absolute_error": "elementwise",
    "mean_squared_logarithmic_error": "elementwise",
    "mean_absolute_percentage_error": "elementwise",
}
_SHORT = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "msle": "mean_squared_logarithmic_error",
    "mape": "mean_absolute_percentage_error",
}
_CLASSES = {
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "BinaryCrossentropy": "binary_crossentropy",
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
}


def function(loss: str | None) -> str | None:
    """The loss's function name (``"categorical_crossentropy"`` for all three spellings),
    or None for a loss shapelint does not know."""
    if loss is None:
        return None
    name = _CLASSES.get(loss) or _SHORT.get(loss) or loss
    return name if name in _FUNCTIONS else None


def kind(loss: str | None) -> Kind | None:
    """What the loss needs of the targets: one-hot rows of the output's shape
    ("categorical"), integer labels one rank short ("sparse"), values of the output's shape
    ("binary"), or anything that broadcasts against the output ("elementwise")."""
    name = function(loss)
    return _FUNCTIONS[name] if name is not None else None
