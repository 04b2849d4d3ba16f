"""Safe YAML reading that remembers where each key stands."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (schema.py checks them, with a clear message)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def _walk(node: yaml.Node, path: str, offset: int, out: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            sub = f"{path}.{key}" if path else key
            out[sub] = key_node.start_mark.line + 1 + offset
            _walk(value_node, sub, offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            out[sub] = item.start_mark.line + 1 + offset
            _walk(item, sub, offset, out)


def load_yaml(text: str, file: str, offset: int = 0) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `text` (which starts `offset` lines into `file`); aliases are refused."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 + offset
                return None, [Problem(file, "", "YAML aliases (*name) are not allowed here.",
                                      "write the value out in full instead of referring to an anchor.", line)]
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, "", f"invalid YAML: {what}.",
                              "check indentation, colons and quoting on that line "
                              "(quote values that contain ': ' or start with a special character).", line)]
    lines: dict = {}
    if node is not None:
        _walk(node, "", offset, lines)
    return YamlDoc(data, lines), []
