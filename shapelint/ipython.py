"""IPython syntax in notebook cells, made into Python that keeps every line and column.

``cell_code`` turns one cell's lines into Python lines, one for one, as ruff reads
notebooks: wherever a logical line starts (at any indentation, inside ``if``/``for``/
``def`` bodies too),

- a line magic (``%load_ext x``), a shell escape (``!nvidia-smi``), help (``?obj``,
  ``??obj``) or an autocall escape (``/f x``, ``,f a b``, ``;f a b``) becomes ``pass``
  at the same indentation, so that a block it is alone in stays a block; a backslash-
  continued escape blanks its continuation lines;
- help at the end (``obj?``, ``obj??``, ``x.shape?``) becomes ``pass`` the same way;
- an assignment from one (``files = !ls *.csv``, ``env = %env``) keeps its target and
  gets a right-hand side shapelint knows nothing about (``UNKNOWN``), so the name is
  rebound to an unknown value rather than left as it was;
- a line magic that runs a statement in the notebook (``%time X = X[:100]``, ``%prun``,
  ``%debug``, ``%memit``) becomes assignments of ``UNKNOWN`` to the names the statement
  appears to bind (found by ``bound_names``); ``%store -r a b`` likewise rebinds ``a``
  and ``b``. ``%run script.py`` can bind anything; it is read as ``pass``.

A cell magic stands on the cell's first line. ``%%time``, ``%%timeit`` and ``%%capture``
(with or without arguments) keep their body as Python and only the magic line changes:
it becomes blank, or an assignment of ``UNKNOWN`` to the name ``%%capture out`` binds.
A ``%%timeit`` body runs in a scope of its own, so what it binds is not bound after the
cell: the names it binds get ``UNKNOWN`` in a line after the cell (``trailer``).

Any other cell magic's body is not analysed as Python. A magic that never runs Python in
the notebook (``%%bash``, ``%%html``, ``%%writefile``, ...) leaves the cell blank, but for
its magic line, which rebinds to ``UNKNOWN`` the names given to ``--out``, ``--err`` or
``--proc``. Any other magic (``%%backend``, ``%%prun``, ...) may run its body in the
notebook's namespace: the cell keeps the body's top-level imports, and a line after the
cell makes every other name the body appears to bind unknown (``salvage``).

Every other line and column stays exactly as it was. ``bound_names`` is a tolerant scan
for the names a piece of code appears to bind (or mutate), for code that may not parse.
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

# A name shapelint never binds: its value is unknown wherever it is read.
UNKNOWN = "__shapelint_unknown__"

# Characters that start an IPython escape at the start of a logical line; none can start
# a Python statement.
_ESCAPES = frozenset("%!?/,;")

# Cell magics whose body is Python run in the notebook's namespace.
_BODY_IS_PYTHON = frozenset({"time", "timeit", "capture"})

# Line magics that run the rest of their line as a statement in the notebook's namespace
# (``%timeit`` runs it in a scope of its own).
_STATEMENT_MAGICS = frozenset({"time", "prun", "debug", "memit"})

# Cell magics that never run their body as Python in the notebook's namespace.
_NOT_PYTHON = frozenset(
    {
        "bash",
        "sh",
        "script",
        "html",
        "HTML",
        "javascript",
        "js",
        "latex",
        "markdown",
        "svg",
        "writefile",
        "file",
        "perl",
        "ruby",
        "python2",
        "python3",
        "pypy",
        "cmd",
        "powershell",
        "sx",
        "system",
        "sql",
    }
)

# Methods whose call changes the object they are called on in a way shapelint tracks
# (a model's layers, a list's length, an array's shape).
_MUTATORS = frozenset(
    {
        "add",
        "pop",
        "append",
        "extend",
        "insert",
        "remove",
        "clear",
        "resize",
        "update",
        "compile",
        "build",
        "setdefault",
        "popitem",
    }
)

_COMPOUND = frozenset(
    {"if", "elif", "else", "while", "for", "try", "except", "finally", "with", "async"}
)


def cell_code(lines: list[str]) -> tuple[list[str], str]:
    """The lines of one code cell as Python (as many lines, IPython syntax replaced), and
    a statement to run after the cell ("" for none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lstrip().startswith("%%"):
        return _line_code(lines), ""
    name, args = _magic(lines[first].strip()[2:])
    head, body = lines[:first], lines[first + 1 :]
    if name in _BODY_IS_PYTHON:
        code = _line_code(body)
        if name == "timeit":
            return [*head, "", *code], _rebind("", bound_names("\n".join(code)))
        names = _capture_target(args) if name == "capture" else []
        return [*head, _rebind("", names), *code], ""
    if name in _NOT_PYTHON:
        return [*head, _rebind("", _output_options(args)), *("" for _ in body)], ""
    kept, names = salvage(_line_code(body))
    return [*head, "", *kept], _rebind("", names)


def salvage(code: list[str]) -> tuple[list[str], list[str]]:
    """What the program keeps of code that is not analysed as it stands (a cell that does
    not parse, the body of a cell magic that may run it): as many lines, blank except its
    top-level imports that parse on their own, kept as written (an import binds exactly
    the names it says); and the names the rest appears to bind, for the caller to make
    unknown after it."""
    kept = [""] * len(code)
    names: list[str] = []
    for statement, binds in top_level_binds("\n".join(code)):
        lines = code[statement.first : statement.last + 1]
        if statement.indent == 0 and _plain_import("\n".join(lines)):
            kept[statement.first : statement.last + 1] = lines
        else:
            names.extend(binds)
    return kept, list(dict.fromkeys(_identifiers(names)))


def _plain_import(text: str) -> bool:
    """One import statement (not from __future__), valid on its own."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    if len(tree.body) != 1:
        return False
    statement = tree.body[0]
    if isinstance(statement, ast.ImportFrom):
        return statement.module != "__future__"
    return isinstance(statement, ast.Import)


def is_python(lines: list[str]) -> bool:
    """Whether a cell's body is read as Python: it has no cell magic, or one that runs
    its body in the notebook (``%%time``, ``%%timeit``, ``%%capture``)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lstrip().startswith("%%"):
        return True
    return _magic(lines[first].strip()[2:])[0] in _BODY_IS_PYTHON


def _magic(text: str) -> tuple[str, str]:
    """A magic's name and the rest of its line."""
    match = re.match(r"\s*([\w.-]*)\s*(.*)", text)
    assert match is not None
    return match.group(1), match.group(2)


def _rebind(indent: str, names: list[str]) -> str:
    """A statement that binds each name to an unknown value, or nothing when there is none."""
    if not names:
        return ""
    return indent + "; ".join(f"{name} = {UNKNOWN}" for name in names)


def _identifiers(words: list[str]) -> list[str]:
    return [w for w in words if w.isidentifier() and not keyword.iskeyword(w)]


def _capture_target(args: str) -> list[str]:
    """``%%capture [--no-stderr] [--no-stdout] [--no-display] [output]``: the output name."""
    return _identifiers([w for w in args.split() if not w.startswith("-")][:1])


def _output_options(args: str) -> list[str]:
    """The names ``--out``, ``--err`` and ``--proc`` of ``%%bash``/``%%script`` bind."""
    found = re.findall(r"--(?:out|err|proc)[=\s]+(\S+)", args)
    return _identifiers(found)


def _line_code(lines: list[str]) -> list[str]:
    out = list(lines)
    scanner = _Scanner()
    i = 0
    start = 0
    while i < len(lines):
        line = lines[i]
        if scanner.at_start:
            start = i
            stripped = line.lstrip()
            indent = line[: len(line) - len(stripped)]
            end = _continued_end(lines, i)
            if stripped[:1] in _ESCAPES and stripped:
                names = _escape_binds(" ".join(x.rstrip("\\") for x in lines[i : end + 1]))
                out[i : end + 1] = [indent + (_rebind("", names) or "pass")] + [""] * (end - i)
                i = end + 1
                continue
            escape = _escape_assignment(line)
            if escape is not None:
                out[i : end + 1] = [line[:escape] + UNKNOWN] + [""] * (end - i)
                i = end + 1
                continue
        last = scanner.feed(line)
        if scanner.at_start and last == "?":
            stripped = lines[start].lstrip()
            indent = lines[start][: len(lines[start]) - len(stripped)]
            out[start : i + 1] = [indent + "pass"] + [""] * (i - start)
        i += 1
    return out


def _continued_end(lines: list[str], i: int) -> int:
    """The last line of a physical line continued with backslashes."""
    while lines[i].endswith("\\") and i + 1 < len(lines):
        i += 1
    return i


def _escape_binds(text: str) -> list[str]:
    """The names a line magic may bind: those its statement binds (``%time x = f()``), and
    those ``%store -r`` restores."""
    stripped = text.lstrip()
    if not stripped.startswith("%") or stripped.startswith("%%"):
        return []
    name, args = _magic(stripped[1:])
    if name == "store":
        words = args.split()
        return _identifiers(words[1:]) if words[:1] == ["-r"] else []
    return bound_names(args) if name in _STATEMENT_MAGICS else []


def _escape_assignment(line: str) -> int | None:
    """Where ``!cmd`` or ``%magic`` starts in ``target = !cmd`` / ``target = %magic``."""
    scanner = _Scanner()
    for index, char, depth in scanner.chars(line):
        if char != "=" or depth:
            continue
        before = line[index - 1] if index else ""
        after = line[index + 1 : index + 2]
        if after == "=" or before in "=<>!:+-*/%&|^@~":
            return None
        rest = line[index + 1 :]
        position = index + 1 + len(rest) - len(rest.lstrip())
        escape = line[position : position + 2]
        if escape[:1] == "!" or (escape[:1] == "%" and re.match(r"%[A-Za-z_]", escape)):
            return position
        return None
    return None


@dataclass
class _Scanner:
    """Follows strings, brackets and backslash continuations line by line, to tell where
    logical lines start. Tolerant: an unterminated one-line string ends with its line."""

    quote: str = ""
    depth: int = 0
    continued: bool = False

    @property
    def at_start(self) -> bool:
        return not self.quote and not self.depth and not self.continued

    def chars(self, line: str) -> Iterator[tuple[int, str, int]]:
        """Each character of ``line`` outside strings and comments, with the bracket depth."""
        i = 0
        self.continued = False
        escaped_end = False
        while i < len(line):
            char = line[i]
            if self.quote:
                if char == "\\":
                    escaped_end = i == len(line) - 1
                    i += 2
                    continue
                if line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = ""
                    continue
                i += 1
                continue
            if char == "#":
                break
            if char in "\"'":
                triple = line[i : i + 3]
                self.quote = triple if triple in ('"""', "'''") else char
                i += len(self.quote)
                continue
            if char == "\\" and i == len(line) - 1:
                self.continued = True
                break
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            yield i, char, self.depth
            i += 1
        if len(self.quote) == 1 and not escaped_end:
            # A one-line string goes on only after a backslash that ends the line.
            self.quote = ""

    def feed(self, line: str) -> str:
        """Scan one line; the last character of its code (outside strings and comments)."""
        last = ""
        for _, char, _ in self.chars(line):
            if not char.isspace():
                last = char
        return last


# -- the names code appears to bind ------------------------------------------------------

_TOKENS = re.compile(
    r"""
    (?P<space>[ \t\f]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<joined>\\(?:\r\n|\r|\n))
  | (?P<newline>\r\n|\r|\n)
  | (?P<string>[rRbBuUfF]{0,2}(?:
        '''(?:\\[\s\S]|[^\\])*?(?:'''|\Z)
      | \"\"\"(?:\\[\s\S]|[^\\])*?(?:\"\"\"|\Z)
      | '(?:\\[\s\S]|[^'\\\r\n])*(?:'|(?=[\r\n])|\Z)
      | "(?:\\[\s\S]|[^"\\\r\n])*(?:"|(?=[\r\n])|\Z)))
  | (?P<name>[^\W\d]\w*)
  | (?P<number>\d\w*(?:\.\w*)?)
  | (?P<op>\*\*=|//=|>>=|<<=|:=|==|!=|<=|>=|->|[-+*/%&|^@]=|[^\s\w])
    """,
    re.VERBOSE,
)
_ASSIGN_OPS = frozenset("= += -= *= /= //= %= **= >>= <<= &= |= ^= @=".split())


@dataclass
class _Token:
    kind: str
    text: str
    line: int
    column: int
    depth: int = 0


@dataclass
class Statement:
    """A logical line as the tolerant scan sees it: its lines (0-based, inclusive), its
    indentation and tokens."""

    first: int
    last: int
    indent: int
    tokens: list[_Token] = field(default_factory=list)


def _tokens(code: str) -> tuple[list[_Token], bool]:
    """The tokens of ``code`` and whether its brackets and strings are balanced."""
    tokens: list[_Token] = []
    line, line_start, position = 0, 0, 0
    balanced = True
    while position < len(code):
        match = _TOKENS.match(code, position)
        if match is None:
            position += 1
            continue
        kind, text = match.lastgroup or "op", match.group()
        if kind == "string" and text[-3:] not in ('"""', "'''") and _is_triple(text):
            balanced = False
        if kind not in ("space", "comment"):
            tokens.append(_Token(kind, text, line, position - line_start))
        breaks = list(re.finditer(r"\r\n|\r|\n", text))
        if breaks:
            line += len(breaks)
            line_start = position + breaks[-1].end()
        position = match.end()
    return tokens, balanced


def _is_triple(text: str) -> bool:
    body = text.lstrip("rRbBuUfF")
    return body.startswith(('"""', "'''"))


def statements(code: str) -> list[Statement]:
    """The logical lines of ``code``. Where brackets or strings do not balance, every
    physical line is taken as a statement of its own, since the scan cannot know better."""
    tokens, balanced = _tokens(code)
    depth = 0
    for token in tokens:
        if token.kind == "op" and token.text in "([{":
            depth += 1
        elif token.kind == "op" and token.text in ")]}":
            depth -= 1
            balanced = balanced and depth >= 0
            depth = max(depth, 0)
    balanced = balanced and depth == 0
    found: list[Statement] = []
    current: Statement | None = None
    depth = 0
    for token in tokens:
        if token.kind == "newline" and (depth == 0 or not balanced):
            current, depth = None, 0
            continue
        if token.kind in ("newline", "joined"):
            continue
        if current is None:
            current = Statement(token.line, token.line, token.column)
            found.append(current)
        if token.kind == "op" and token.text in ")]}":
            depth = max(depth - 1, 0)
        token.depth = depth
        if token.kind == "op" and token.text in "([{":
            depth += 1
        current.tokens.append(token)
        current.last = token.line
    return found


def bound_names(code: str) -> list[str]:
    """The module-level names ``code`` appears to bind or change, in order of appearance.

    A tolerant over-approximation for code that may not parse: assignment targets (a
    subscript or attribute target counts for its base name), ``for`` and ``as`` targets,
    ``:=``, ``import``, ``def``, ``class``, ``del``, ``global`` in a function, and the
    object of a call that changes it (``model.add(...)``, ``x.append(...)``, any call with
    ``inplace=``). Statements inside function and class bodies bind nothing outside
    them."""
    names = [name for _, binds in top_level_binds(code) for name in binds]
    return list(dict.fromkeys(_identifiers(names)))


def top_level_binds(code: str) -> Iterator[tuple[Statement, list[str]]]:
    """Each statement outside function and class bodies, with the names it binds; a
    ``global`` inside a function counts as binding its names at the top level."""
    body_of: int | None = None
    for statement in statements(code):
        tokens = statement.tokens
        if body_of is not None and statement.indent > body_of:
            if tokens[0].text == "global":
                yield statement, [t.text for t in tokens[1:] if t.kind == "name"]
            continue
        body_of = None
        words = [t.text for t in tokens[:2]]
        if words[:1] in (["def"], ["class"]) or words == ["async", "def"]:
            body_of = statement.indent
        yield statement, _statement_binds(tokens)


def _statement_binds(tokens: list[_Token]) -> list[str]:
    if not tokens:
        return []
    names: list[str] = []
    first = tokens[0].text
    if first == "import":
        return _import_binds(tokens[1:])
    if first == "from":
        at = next((i for i, t in enumerate(tokens) if t.text == "import"), None)
        return _import_binds(tokens[at + 1 :]) if at is not None else []
    if first in ("def", "class") or [t.text for t in tokens[:2]] == ["async", "def"]:
        at = 2 if first == "async" else 1
        return [tokens[at].text] if len(tokens) > at and tokens[at].kind == "name" else []
    if first in ("del", "global", "nonlocal"):
        return _bases(tokens[1:])
    rest = tokens
    if first in _COMPOUND:
        base = tokens[0].depth
        colon = next(
            (i for i, t in enumerate(tokens) if t.text == ":" and t.depth == base and i), None
        )
        header, rest = (tokens, []) if colon is None else (tokens[:colon], tokens[colon + 1 :])
        names.extend(_anywhere_binds(header))
        names.extend(_statement_binds(rest))
        return names
    names.extend(_anywhere_binds(tokens))
    names.extend(_assignment_binds(tokens))
    return names


def _import_binds(tokens: list[_Token]) -> list[str]:
    names: list[str] = []
    item: list[_Token] = []
    for token in [*tokens, _Token("op", ",", 0, 0)]:
        if token.text in "()":
            continue
        if token.text != ",":
            item.append(token)
            continue
        words = [t.text for t in item]
        if "as" in words and words.index("as") + 1 < len(words):
            names.append(words[words.index("as") + 1])
        elif words and item[0].kind == "name":
            names.append(words[0])
        item = []
    return names


def _assignment_binds(tokens: list[_Token]) -> list[str]:
    base = tokens[0].depth
    stop = next(
        (i for i, t in enumerate(tokens) if t.text == "lambda" and t.depth == base), len(tokens)
    )
    ops = [
        i
        for i, t in enumerate(tokens[:stop])
        if t.kind == "op" and t.text in _ASSIGN_OPS and t.depth == base
    ]
    if not ops:
        return []
    names: list[str] = []
    start = 0
    for index, op in enumerate(ops):
        target = tokens[start:op]
        if index == 0:
            colon = next(
                (i for i, t in enumerate(target) if t.text == ":" and t.depth == base), None
            )
            target = target[:colon] if colon is not None else target
        names.extend(_bases(target))
        start = op + 1
    return names


def _bases(tokens: list[_Token]) -> list[str]:
    """The names a target list binds: plain names, and the base of each subscript or
    attribute target; names inside subscripts and calls are not targets."""
    names: list[str] = []
    stack: list[bool] = []
    previous: _Token | None = None
    for token in tokens:
        if token.kind == "op" and token.text in "([{":
            grouping = previous is None or previous.text in (",", "(", "[", "=", "*", "in")
            stack.append(grouping)
        elif token.kind == "op" and token.text in ")]}":
            if stack:
                stack.pop()
        elif token.kind == "name" and all(stack):
            if previous is None or previous.text != ".":
                names.append(token.text)
        previous = token
    return names


def _anywhere_binds(tokens: list[_Token]) -> list[str]:
    """``for`` targets, ``as`` targets, ``:=``, and objects changed by a method call."""
    names: list[str] = []
    for i, token in enumerate(tokens):
        if token.text == "for" and token.kind == "name":
            end = next(
                (j for j in range(i + 1, len(tokens)) if tokens[j].text == "in"), len(tokens)
            )
            names.extend(_bases(tokens[i + 1 : end]))
        elif token.text == "as" and token.kind == "name" and i + 1 < len(tokens):
            after = tokens[i + 1]
            if after.kind == "name":
                names.append(after.text)
            elif after.text in "([":
                close = next(
                    (j for j in range(i + 2, len(tokens)) if tokens[j].depth == after.depth),
                    len(tokens),
                )
                names.extend(_bases(tokens[i + 2 : close]))
        elif token.text == ":=" and i and tokens[i - 1].kind == "name":
            names.append(tokens[i - 1].text)
        elif token.kind == "name" and token.text in _MUTATORS and _is_method_call(tokens, i):
            names.extend(_chain_base(tokens, i - 1))
        elif token.text == "inplace" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
            opener = _call_opener(tokens, i)
            if opener is not None:
                names.extend(_chain_base(tokens, opener))
    return names


def _is_method_call(tokens: list[_Token], i: int) -> bool:
    return (
        i >= 2 and tokens[i - 1].text == "." and i + 1 < len(tokens) and tokens[i + 1].text == "("
    )


def _chain_base(tokens: list[_Token], i: int) -> list[str]:
    """The first name of the dotted chain whose last token is at ``i`` (or whose ``.``
    is at ``i``): ``self`` in ``self.model.add``."""
    j = i
    while j >= 0 and (tokens[j].text == "." or tokens[j].kind == "name"):
        if tokens[j].kind == "name" and (j == 0 or tokens[j - 1].text != "."):
            return [tokens[j].text]
        j -= 1
    return []


def _call_opener(tokens: list[_Token], i: int) -> int | None:
    """The index of the token just before the ``(`` of the call whose argument is at ``i``."""
    depth = tokens[i].depth
    for j in range(i - 1, 0, -1):
        if tokens[j].text == "(" and tokens[j].depth == depth - 1:
            return j - 1
    return None
