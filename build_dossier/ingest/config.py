"""The project: where its files live, and its settings outside `sources/` (`mkdocs.yml`'s `site_url`, the environment).

`site_url` is the base of every absolute permalink the dossier writes, and MkDocs prints it into
every page, so it must be an http(s) address; `DOSSIER_SITE_URL` overrides it through MkDocs' `!ENV`
tag. Only a public address is used (`public_site_url`): unset or local (`hosts.local_reason`), the
pages link site-relative and the exports give no dossier address. `SOURCE_DATE_EPOCH` (reproducible
builds) dates the sitemap, which holds 1970…2106 only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..errors import DossierError, Problem
from .hosts import is_public, local_reason
from .lock import LOCK_FILE
from .readfile import MAX_BYTES, display_path, read_bytes
from .schema import URL_RE

CONFIG_FILE = "mkdocs.yml"
MAX_EPOCH = 2**32 - 1
"""Latest build timestamp MkDocs can store (32 unsigned bits in the gzip header of sitemap.xml.gz: 2106-02-07)."""
EPOCH_RE = re.compile(r"[0-9]{1,10}")
SITE_URL_EXAMPLE = "https://OWNER.github.io/REPO/"


@dataclass(frozen=True)
class Project:
    """Where a dossier's files live."""

    root: Path
    """Folder holding mkdocs.yml, sources/ and docs/."""

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def lock_file(self) -> Path:
        return self.sources_dir / LOCK_FILE

    @property
    def site_url(self) -> str | None:
        """`site_url` of mkdocs.yml (where `DOSSIER_SITE_URL` overrides it), as configured: see `public_site_url`.

        None where it is unset, or invalid: `config_problems` reports that.
        """
        return read_site_url(self.config_file, self.rel(self.config_file))[0]

    @property
    def public_site_url(self) -> str | None:
        """`site_url` if it is a public address, else None: then no citation, export or page gets an absolute dossier address."""
        url = self.site_url
        return url if is_public(url) else None

    def rel(self, path: Path) -> str:
        return display_path(path, self.root)


def require_config(root: Path) -> None:
    """Raise DossierError unless `root` holds a `mkdocs.yml` file: without one it is not a dossier project."""
    path = root / CONFIG_FILE
    if not path.is_file():
        what = f"{path} is not a regular file" if path.exists() else f"there is no {CONFIG_FILE} in {root}"
        raise DossierError([Problem(CONFIG_FILE, "", f"{what}, so this is not a dossier project.",
                                    "run the command in the dossier's folder (the one holding mkdocs.yml and sources/), "
                                    "or name it with --project FOLDER.")])


def _env_source(node: yaml.Node) -> str | None:
    """The environment variable an `!ENV` value was taken from, if it was (MkDocs' `!ENV [VAR…, default]`)."""
    if node.tag != "!ENV":
        return None
    names = [node.value] if isinstance(node, yaml.ScalarNode) else [n.value for n in node.value[:-1] or node.value]
    return next((name for name in names if isinstance(name, str) and name in os.environ), None)


def read_site_url(config_file: Path, file: str) -> tuple[str | None, list[Problem]]:
    """`site_url` of mkdocs.yml with a trailing `/` (None if unset), and a problem if it is not an http(s) address."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    raw, problems = read_bytes(config_file, file, MAX_BYTES, "", "keep mkdocs.yml to the settings.")
    if raw is None:
        return None, problems
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)  # nodes only: MkDocs' tags need no constructor
        with open(config_file, "rb") as f:
            data = yaml_load(f)  # MkDocs' own reading: `!ENV`, `INHERIT`
    except (UnicodeDecodeError, yaml.YAMLError, ConfigurationError) as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(file, "", f"the file cannot be read: {what.rstrip('.')}.", "correct mkdocs.yml where the "
                              "message says (MkDocs' configuration format).", mark.line + 1 if mark else None)]
    if not isinstance(data, dict):
        return None, [Problem(file, "", "the file is not a mapping of settings.", "write `key: value` lines (site_name: …).")]
    node = next((v for k, v in root.value if k.value == "site_url"), None) if isinstance(root, yaml.MappingNode) else None
    line = node.start_mark.line + 1 if node is not None else None
    env = _env_source(node) if node is not None else None
    url = data.get("site_url")
    if url is None or url == "":
        return None, []
    origin = f"site_url (from the environment variable {env})" if env else "site_url"
    fix = (f"set {env} to the published address, e.g. {env}={SITE_URL_EXAMPLE}, or unset it." if env
           else f"write the published address, e.g. site_url: {SITE_URL_EXAMPLE}, or remove the line.")
    if not isinstance(url, str):
        return None, [Problem(file, "site_url", f"{origin} must be an address, got {type(url).__name__} {url!r}.", fix, line)]
    if not URL_RE.match(url) or not urlsplit(url).hostname:
        return None, [Problem(file, "site_url", f"{origin} {url!r} is not an http(s) address "
                                                "(no spaces, quotes or angle brackets).", fix, line)]
    return url.rstrip("/") + "/", []


def site_address_note(url: str | None) -> str | None:
    """What `build` says once when the site has no public address: what follows, and how to set one."""
    if is_public(url):
        return None
    what = f"site_url {url} is {local_reason(url)}, so it is not used" if url else "no site address is set"
    return (f"note: {what}: citations name the original articles only, links within the site are relative, and the "
            f"exports give no dossier address. To publish, set DOSSIER_SITE_URL={SITE_URL_EXAMPLE} (or site_url in "
            f"mkdocs.yml) to the site's public address and build again.")


def epoch_problems() -> list[Problem]:
    """A problem if SOURCE_DATE_EPOCH is set to anything but a time MkDocs can store."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or EPOCH_RE.fullmatch(value) and int(value) <= MAX_EPOCH:
        return []
    return [Problem("environment", "SOURCE_DATE_EPOCH", f"{value!r} is not a build time MkDocs can use: a whole number "
                    f"of seconds since 1970-01-01, at most {MAX_EPOCH} (2106-02-07).",
                    "unset it (the build is then dated by the newest date its sources state), or set it to e.g. 1735689600.")]


def config_problems(config_file: Path, file: str) -> list[Problem]:
    """Every problem with the settings the build reads outside sources/."""
    return read_site_url(config_file, file)[1] + epoch_problems()
