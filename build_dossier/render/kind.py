"""What a page kind is: the paths of docs/ it owns, and the function that renders its files from the model.

Each module of `render/pages/` declares one `KIND`; `render/registry.py` lists them. Everything the
build derives about generated files — which paths of docs/ it replaces, which stay out of the
navigation, what .gitignore must list — comes from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..analyse.compare import Comparison
from ..model import Dossier
from .addresses import Location


@dataclass(frozen=True)
class Context:
    """What every page kind renders from: the whole model and this build's settings."""

    dossier: Dossier
    site_url: str | None
    """Base of absolute permalinks (`site_url` of mkdocs.yml, if public), or None: addresses stay site-relative,
    and citations give no dossier copy."""
    descriptions: tuple[tuple[str, str], ...]
    """(topic, one-line description) for every topic, in TOPICS order (data/topics.yaml)."""
    compared: tuple[Comparison, ...]
    """Each measure's figures compared across the sources (`measures.comparisons`)."""


@dataclass(frozen=True)
class PageKind:
    """One kind of generated file of docs/: where it goes and how it is made."""

    name: str
    """What it is, for people (`source pages`)."""
    locations: tuple[Location, ...]
    """The paths of docs/ it owns (`addresses`); a folder is owned whole."""
    render: Callable[[Context], Iterable[tuple[str, str | Iterable[str]]]]
    """(path in docs/, text) of every file it makes; a large text may come in pieces (`registry.Packed`)."""
