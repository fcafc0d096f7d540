"""Documents with line numbers: YAML and TOML parsed so that every problem can name its line.

Scenario files and claims ledgers are checked key by key; each problem is
reported as ``file:line: key.path: message``.  :func:`read_yaml` keeps the line
of every key and list item from PyYAML's composed nodes; :func:`read_toml`
parses with :mod:`tomllib` and finds each key's line with a light scan of the
text (tables, arrays of tables, dotted keys).  Syntax errors do not raise:
they come back as the document's problems with ``data`` set to None, so each
caller raises its own error class.  The same holds for a file that cannot be
read (:func:`read_file`: missing, a directory, unreadable, not UTF-8) and for
a document nested deeper than :data:`MAX_DEPTH` levels, which is refused
while it is parsed rather than after.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted in a document (scenario files and ledgers use fewer than 8)."""

SUFFIXES = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class Problem:
    """One problem of a document: the file, the line, the key path and what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {text}" if where else text


def path_text(path: tuple) -> str:
    """``("shocks", 0, "pair")`` → ``"shocks[0].pair"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def nearest_line(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path`` in ``lines``, or of its nearest ancestor that has one (the document's root last)."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


class LocatedDocument:
    """A parsed document, the line of each key path in it, and the problems found so far."""

    def __init__(self, data, lines: dict[tuple, int], file: str, problems: list[Problem] | None = None):
        self.data = data
        self.lines = lines
        self.file = file
        self.problems: list[Problem] = list(problems or [])

    def line(self, path: tuple) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        return nearest_line(self.lines, path)

    def problem(self, path: tuple, message: str) -> Problem:
        """Record a problem at ``path`` and return it."""
        found = Problem(self.file, self.line(path), path_text(path), message)
        self.problems.append(found)
        return found


@functools.cache
def _yaml_loader():
    """PyYAML's safe loader, refusing nesting deeper than :data:`MAX_DEPTH` as it composes."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(
                        None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def too_deep(text: str) -> int | None:
    """The line where ``text`` nests deeper than :data:`MAX_DEPTH` by brackets or dotted keys, or None.

    One pass over the characters, before any parser sees them: PyYAML's
    scanner slows down with the square of the bracket depth, so a 20,000-character
    text of ``[`` would cost seconds before the composer could refuse it.
    Brackets inside quotes count too, which can only refuse a text that is
    absurd anyway.
    """
    depth, line = 0, 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "\n":
            line += 1
    for number, raw in enumerate(text.splitlines(), start=1):  # TOML's dotted keys and table names nest too
        key = raw.split("=", 1)[0] if "=" in raw else raw if raw.lstrip().startswith("[") else ""
        if key.count(".") >= MAX_DEPTH:
            return number
    return None


def _deep(file: str, line: int) -> LocatedDocument:
    return LocatedDocument(None, {}, file, [Problem(file, line, "", f"nested deeper than {MAX_DEPTH} levels")])


def _yaml_failure(error, text: str, file: str) -> LocatedDocument:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    if getattr(error, "character", None) is not None:  # the reader's error: a control character, no mark
        problem = f"the control character U+{error.character:04X} is not allowed; remove it"
        line = text.count("\n", 0, error.position) + 1
    return LocatedDocument(None, {}, file, [Problem(file, line, "", f"not valid YAML: {problem}")])


def read_yaml(text: str, file: str) -> LocatedDocument:
    """Parse YAML keeping the line (1-based) of every key and list item.

    Duplicate keys, keys that are not plain scalars and values that cannot be
    constructed are recorded as problems rather than silently merged.  Control
    characters, syntax errors and nesting deeper than :data:`MAX_DEPTH` come
    back as problems with ``data`` None.
    """
    import yaml

    deep = too_deep(text)
    if deep is not None:
        return _deep(file, deep)
    try:
        loader = _yaml_loader()(text)  # the reader refuses control characters here, before parsing
    except yaml.YAMLError as error:
        return _yaml_failure(error, text, file)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        return _yaml_failure(error, text, file)
    finally:
        loader.dispose()
    if root is None:
        return LocatedDocument(None, {}, file, [Problem(file, 1, "", "the file is empty")])
    document = LocatedDocument(None, {}, file)
    lines = document.lines
    constructor = yaml.SafeLoader("")
    seen: set[int] = set()

    def build(node, path):
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in seen:  # an alias: expanding it could multiply the document without bound
                document.problems.append(Problem(file, lines[path], path_text(path),
                                                 "anchors and aliases (& and *) are not supported; write the value out"))
                return None
            seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                key = constructor.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, (str, int, float, bool)):
                    document.problems.append(Problem(file, line, path_text(path), "a key must be a plain word"))
                    continue
                key = key if isinstance(key, str) else str(key)
                if key in out:
                    document.problems.append(
                        Problem(file, line, path_text(path + (key,)),
                                f"the key {key!r} appears twice (first on line {lines[path + (key,)]})")
                    )
                    continue
                lines[path + (key,)] = line
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            document.problems.append(Problem(file, node.start_mark.line + 1, path_text(path), f"not a valid value: {error}"))
            return None

    document.data = build(root, ())
    if document.data is None and not document.problems:  # a document of only ``null`` or ``~``
        document.problems.append(Problem(file, 1, "", "the file holds no value (only null)"))
    return document


_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _toml_key(text: str) -> tuple:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+", text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def read_toml(text: str, file: str) -> LocatedDocument:
    """Parse TOML keeping the line of every table, array-of-tables item and key.

    Keys inside a multi-line array or inline table take the line of the key
    that opens it.  A leading byte-order mark is ignored, as in YAML.
    """
    text = text.removeprefix("\ufeff")
    deep = too_deep(text)
    if deep is not None:
        return _deep(file, deep)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        return LocatedDocument(None, {}, file, [Problem(file, line, "", f"not valid TOML: {error}")])
    except RecursionError:  # nested arrays or inline tables, thousands deep
        data = None
    if data is None or _depth(data) > MAX_DEPTH:  # dotted keys nest without recursion: measure after
        return LocatedDocument(None, {}, file, [Problem(file, None, "", f"nested deeper than {MAX_DEPTH} levels")])
    lines: dict[tuple, int] = {(): 1}
    counters: dict[tuple, int] = {}
    prefix: tuple = ()
    depth = 0  # open brackets of a multi-line value: keys inside are not top-level
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"\"[^\"]*\"|'[^']*'", '""', raw).split("#", 1)[0]
        if depth:
            depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
            continue
        array = _ARRAY_TABLE.match(line)
        table = _TABLE.match(line) if not array else None
        if array:
            name = _toml_key(array.group(1))
            counters[name] = counters.get(name, -1) + 1
            prefix = name + (counters[name],)
            lines.setdefault(name, number)
            lines[prefix] = number
        elif table:
            prefix = _toml_key(table.group(1))
            lines.setdefault(prefix, number)
        elif key := _KEY.match(line):
            lines[prefix + _toml_key(key.group(1))] = number
            value = line[key.end():]
            if value.strip().startswith(("[", "{")):  # a multi-line array or table: skip its inside
                depth += value.count("[") + value.count("{") - value.count("]") - value.count("}")
    return LocatedDocument(data, lines, file)


def _depth(data) -> int:
    """How deeply mappings and lists nest in ``data`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_text(text: str, file: str, kind: str) -> LocatedDocument:
    """Parse ``text`` as ``kind`` (``"toml"`` or ``"yaml"``) with :func:`read_toml` or :func:`read_yaml`."""
    return (read_toml if kind == "toml" else read_yaml)(text, file)


def read_file(path: str | os.PathLike, what: str = "file") -> LocatedDocument:
    """Read and parse a TOML or YAML file, chosen by its suffix.

    Everything that keeps the file from being read comes back as the
    document's single problem with ``data`` None, in words a user can act on:
    no such file, a folder, no permission to read, not UTF-8 text, a suffix
    other than ``.toml``, ``.yaml`` or ``.yml``.  ``what`` names the file in
    those messages (``"scenario file"``, ``"weights file"``).
    """
    path = Path(path)
    name = str(path)

    def refused(message: str) -> LocatedDocument:
        return LocatedDocument(None, {}, name, [Problem(name, None, "", message)])

    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return refused(f"a {what} ends in .toml, .yaml or .yml")
    if path.is_dir():
        return refused(f"this is a folder, not a {what}")
    if not path.exists():
        return refused(f"no such {what}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        return refused(f"cannot read the {what} ({error.strerror or error}); check its permissions")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return refused(f"not UTF-8 text (byte {error.start + 1} is 0x{raw[error.start]:02X}); save it as UTF-8")
    return parse_text(text, name, kind)
