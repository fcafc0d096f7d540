"""Documents with line numbers: YAML and TOML parsed so that every problem can name its line.

Scenario files and claims ledgers are checked key by key; each problem is
reported as ``file:line: key.path: message``.  :func:`read_yaml` keeps the line
of every key and list item from PyYAML's composed nodes; :func:`read_toml`
parses with :mod:`tomllib` and finds each key's line with a light scan of the
text (tables, arrays of tables, dotted keys).  Syntax errors do not raise:
they come back as the document's problems with ``data`` set to None, so each
caller raises its own error class.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem of a document: the file, the line, the key path and what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"


def path_text(path: tuple) -> str:
    """``("shocks", 0, "pair")`` → ``"shocks[0].pair"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class LocatedDocument:
    """A parsed document, the line of each key path in it, and the problems found so far."""

    def __init__(self, data, lines: dict[tuple, int], file: str, problems: list[Problem] | None = None):
        self.data = data
        self.lines = lines
        self.file = file
        self.problems: list[Problem] = list(problems or [])

    def line(self, path: tuple) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def problem(self, path: tuple, message: str) -> Problem:
        """Record a problem at ``path`` and return it."""
        found = Problem(self.file, self.line(path), path_text(path), message)
        self.problems.append(found)
        return found


def read_yaml(text: str, file: str) -> LocatedDocument:
    """Parse YAML keeping the line (1-based) of every key and list item.

    Duplicate keys, keys that are not plain scalars and values that cannot be
    constructed are recorded as problems rather than silently merged.
    """
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        return LocatedDocument(None, {}, file, [Problem(file, line, "", f"not valid YAML: {problem}")])
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
    that opens it.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        return LocatedDocument(None, {}, file, [Problem(file, line, "", f"not valid TOML: {error}")])
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
