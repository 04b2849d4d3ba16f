"""Safe YAML reading that remembers where each key stands."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from ..errors import Problem


class _Alias(Exception):
    """An alias (`*name`) was met; carries its position."""

    def __init__(self, mark: yaml.Mark):
        super().__init__("alias")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (schema.py checks them, with a clear message) and refuses aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):  # refused before it is expanded: no alias bomb
            raise _Alias(self.peek_event().start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CSafeLoader = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, if PyYAML was built with it (the wheels are); without it every text is read by `_Loader`."""

if _CSafeLoader is not None:
    class _FastLoader(_CSafeLoader):
        """libyaml's parser with `_Loader`'s resolvers: the same nodes and data, parsed in C (a ledger of hundreds of
        debates took most of a second in Python)."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def parse_fast(text: str) -> tuple | None:
    """(node, data) read by libyaml; None when `_Loader` must read the text to say what is wrong with it (a character
    YAML refuses, an alias, any error), so that every problem is reported as before, in the same words.

    A text with a tab is left to `_Loader` too: libyaml takes tabs where PyYAML refuses them (`a:\tb`)."""
    if _CSafeLoader is None or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()  # composing never expands an alias: the node is shared, checked next
        if node is not None and _shares_nodes(node):
            return None
        return node, loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    finally:
        loader.dispose()


def _shares_nodes(root: yaml.Node) -> bool:
    """Whether a node stands twice in the tree (an alias refers to its anchor's node); each node is visited once."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value
    return False


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML data and the line of every key path in it."""

    data: object
    """The parsed value (None for an empty document)."""
    lines: dict
    """Key path (`debates[2].positions[0].quote`) -> 1-based line in the file."""

    def line(self, path: str) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def _walk(node: yaml.Node, path: str, offset: int, out: dict, dupes: list | None = None) -> None:
    """Record the line of every key path in `out`; (path, line, first line) of repeated keys in `dupes`."""
    dupes = [] if dupes is None else dupes
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            sub = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                dupes.append((sub, line, seen[key]))
                continue
            seen[key] = line
            out[sub] = line
            _walk(value_node, sub, offset, out, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            out[sub] = item.start_mark.line + 1 + offset
            _walk(item, sub, offset, out, dupes)


def load_yaml(text: str, file: str, offset: int = 0) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `text` (which starts `offset` lines into `file`); aliases are refused.

    The same text is parsed once per process (`serve` reads every ledger again on each rebuild); the data is
    shared, so callers read it and never change it.
    """
    doc, problems = _load_yaml(text, file, offset)
    return doc, list(problems)


@lru_cache(maxsize=16)
def _load_yaml(text: str, file: str, offset: int) -> tuple[YamlDoc | None, tuple[Problem, ...]]:
    doc, problems = _parse(text, file, offset)
    return doc, tuple(problems)


def _read(text: str, file: str, offset: int) -> tuple[yaml.Node | None, object, list[Problem]]:
    """(node, data) by the Python parser, which refuses aliases where it meets them; or the problem, precisely."""
    loader = None
    try:  # one pass: the node tree (for line numbers) and the data built from it
        loader = _Loader(text)  # reads the whole text: refuses unprintable characters here
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None, []
    except _Alias as alias:
        return None, None, [Problem(file, "", "YAML aliases (*name) are not allowed here.",
                                    "write the value out in full instead of referring to an anchor.",
                                    alias.mark.line + 1 + offset)]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
            line = text[:exc.position].count("\n") + 1 + offset
            what = f"the control character U+{exc.character:04X} cannot appear in YAML (remove it)"
        return None, None, [Problem(file, "", f"invalid YAML: {what}.",
                                    "check indentation, colons and quoting on that line "
                                    "(quote values that contain ': ' or start with a special character).", line)]
    finally:
        if loader is not None:
            loader.dispose()


def _parse(text: str, file: str, offset: int) -> tuple[YamlDoc | None, list[Problem]]:
    fast = parse_fast(text)
    node, data, problems = (*fast, []) if fast is not None else _read(text, file, offset)
    if problems:
        return None, problems
    lines: dict = {}
    dupes: list = []
    if node is not None:
        _walk(node, "", offset, lines, dupes)
    if dupes:
        # YAML would silently keep the last value: say so instead of guessing which one was meant.
        return None, [Problem(file, path, f"the key {path.rsplit('.', 1)[-1]!r} appears twice in the same mapping "
                                          f"(first on line {first}).", "keep one of the two and delete the other.", line)
                      for path, line, first in sorted(dupes, key=lambda d: d[1])]
    return YamlDoc(data, lines), []


def quoted(text: str) -> str:
    """`text` as a one-line, double-quoted YAML scalar that reads back exactly (for generated YAML)."""
    # str(): a typed id (a str subclass) is dumped as the text it is, not refused as an unknown type.
    return yaml.safe_dump(str(text), default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")
