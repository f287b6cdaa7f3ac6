"""What Keras does with each keyword a script passes: the reading SL008 and SL011 share.

A *site* is one call whose keywords are read against ``shapelint.keras_api``: a
``KerasCall``, the construction of a layer, an optimizer, a callback, a utility, or a
method call on a model. Each keyword gets a verdict for the Keras the script targets:

* ``removed``: the target rejects it, and the other Keras major version accepts it or
  Keras's history knows what it became (``nb_epoch`` is ``epochs``): SL008.
* ``ignored``: the target accepts it without effect, where it once set something
  (``decay`` on a Keras 3 optimizer, ``lr`` on a tf_keras one): SL008, as a warning.
* ``unknown``: no Keras version accepts it and history does not know it (a typo): SL011.

No verdict where the table does not know the callable, or its ``**kwargs`` go where the
generator could not follow: silence.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from shapelint import keras_api
from shapelint.facts import Anchor, Facts, KerasCall, Plain
from shapelint.rules.sl004_ignored_input_shape import show

Verdict = Literal["removed", "ignored", "unknown"]

# Ignored keywords whose loss changes nothing: Keras 3 reads an Embedding's sequence length
# from its input, as its own warning says ("Just remove it").
_NO_EFFECT = frozenset({"input_length"})


@dataclass(frozen=True)
class Site:
    """A call whose keywords are read, in the API its script targets."""

    qualname: str
    api: keras_api.Api
    # The other major version: tf_keras for a Keras 3 script, Keras 3 for a tf_keras one.
    other: keras_api.Api
    anchor: Anchor
    args: tuple[tuple[str, Plain], ...]
    keywords: tuple[str, ...]
    splat: bool
    call: KerasCall

    @property
    def name(self) -> str:
        """The callable as Keras's messages name it: the class, or the function or method."""
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def is_layer(self) -> bool:
        return self.qualname.startswith("layers.")

    def arg(self, name: str) -> Plain:
        return next((value for key, value in self.args if key == name), None)


def sites(facts: Facts) -> Iterator[Site]:
    """Every call of a Keras callable the script makes, layers included."""
    for call in facts.keras_calls:
        api, other = _apis(facts.keras_version, call.api)
        keywords = tuple(name for name, _ in call.args)
        yield Site(
            call.qualname,
            api,
            other,
            call.anchor,
            call.args,
            keywords,
            call.splat,
            call,
        )


def _apis(version: int, spelled: str) -> tuple[keras_api.Api, keras_api.Api]:
    if version == 2:
        return "tf_keras", "keras"
    return ("tf.keras" if spelled == "tf.keras" else "keras"), "tf_keras"


def verdict(site: Site, name: str) -> Verdict | None:
    """What the targeted Keras does with the keyword ``name`` of the call at ``site``."""
    return _verdict(site.api, site.other, site.qualname, name)


@functools.lru_cache(maxsize=4096)
def _verdict(api: keras_api.Api, other: keras_api.Api, qualname: str, name: str) -> Verdict | None:
    # The API tables never change: one answer per callable and keyword.
    found = keras_api.keyword(api, qualname, name)
    if found is None or found.state not in ("ignored", "rejected"):
        return None
    history = keras_api.rename(name, qualname)
    if found.state == "ignored":
        known = history is not None and name not in _NO_EFFECT
        return "ignored" if known else None
    if found.state != "rejected":
        return None
    if history is not None or keras_api.accepts(other, qualname, name):
        return "removed"
    return "unknown"


def suggestion(site: Site, name: str) -> str | None:
    """The keyword that SL008 (the targeted Keras's spelling, same meaning) or SL011 (the
    one accepted keyword close in spelling) would rename ``name`` to; None if neither."""
    found = verdict(site, name)
    if found in ("removed", "ignored"):
        history = keras_api.rename(name, site.qualname)
        if history is not None and history.same_meaning:
            return history.new
        return None
    if found == "unknown":
        near = keras_api.candidates(site.api, site.qualname, name)
        return near[0] if len(near) == 1 else None
    return None


def safe_rename(site: Site, name: str) -> str | None:
    """``suggestion``, where renaming cannot clash: the new keyword is not given already,
    and no other keyword of the call would be renamed to it too (``nb_epoch=5, epoch=3``
    would both become ``epochs``)."""
    new = suggestion(site, name)
    if new is None or new in site.keywords:
        return None
    others = (suggestion(site, other) for other in site.keywords if other != name)
    return None if new in others else new


def rejection(site: Site, name: str) -> str:
    """The error Keras raises for the keyword, as it words it (with the value the script
    passes): ``ValueError: Argument(s) not recognized: {'lr': 0.01}``."""
    value = show(site.arg(name))
    missing = _missing(site)
    if missing:
        # Python checks the parameters before Keras sees the keyword: ``LSTM(output_dim=4)``
        # fails for want of ``units``.
        plural = "argument" if len(missing) == 1 else "arguments"
        count = f"{len(missing)} required positional {plural}"
        return f"TypeError: {_function(site)}() missing {count}: {python_list(missing)}"
    if site.is_layer:
        if site.api == "tf_keras":
            return f"TypeError: ('Keyword argument not understood:', '{name}')"
        passed = f"{{'{name}': {value}}}"
        return f"ValueError: Unrecognized keyword arguments passed to {_class(site)}: {passed}"
    found = keras_api.keyword(site.api, site.qualname, name)
    template = found.message if found is not None else ""
    if not template:
        return f"TypeError: {_function(site)}() got an unexpected keyword argument '{name}'"
    return (
        template.replace("{kwargs}", f"{{'{name}': {value}}}")
        .replace("{list(kwargs.keys())}", f"['{name}']")
        .replace("{kwarg}", name)
        .replace("{k}", name)
        .replace("{self.__class__.__name__}", _class(site))
    )


def python_list(names: list[str]) -> str:
    """Names as Python's TypeError lists them: ``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _class(site: Site) -> str:
    """The class as Keras's messages name it: its own name, not an alias's."""
    params = keras_api.parameters(site.api, site.qualname)
    return params.class_name if params is not None and params.class_name else site.name


def _function(site: Site) -> str:
    """The function Python names in its TypeError (without its class, which may be a base)."""
    params = keras_api.parameters(site.api, site.qualname)
    return "__init__" if params is not None and params.is_class else site.name


def _missing(site: Site) -> list[str]:
    """The required positional parameters the call does not give (none when unknown)."""
    params = keras_api.parameters(site.api, site.qualname)
    if params is None or site.splat:
        return []
    given = set(params.positional[: len(site.call.positional)]) | set(site.keywords)
    return [p for p in params.positional if p in params.required and p not in given]


def warning(site: Site, name: str) -> str:
    """The warning Keras gives for an ignored keyword ("" when it gives none)."""
    found = keras_api.keyword(site.api, site.qualname, name)
    return (found.message if found is not None else "").replace(
        "{self.__class__.__name__}", _class(site)
    )


def version_name(api: keras_api.Api) -> str:
    return "tf_keras (Keras 2)" if api == "tf_keras" else "Keras 3"
