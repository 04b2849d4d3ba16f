"""Leave-one-out measurement of `build-dossier suggest` on the debates ledger.

Every position of every debate is held out in turn: the debate keeps its other positions, and the
real `suggest` runs for the held-out position's source, which proposes at most JOIN_TOP (5) debates.

- debates: the held-out debate is among the proposals (the source is put back into the debate);
- positions: it is, with the held-out passage as the one proposed for it (the position itself is found);
- first: the held-out debate is the first proposal;
- by debate: the share of each debate's held-out positions whose debate is found, averaged over the
  debates (each debate counts once, however many positions it has).

A second, smaller check (`unseen`): the articles of tests/data/import/, added to a copy of the project, and
the debates each joins by a reading of it (tests/data/suggest-unseen.yaml): how many of the debates it joins
are among its proposals (of at most 5), and how many of its proposals are right.

Run `python tests/suggest_recall.py` to print the numbers (as in docs/about/ledgers.md).
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_dossier.authoring.suggest import JOIN_TOP, _Space, suggest
from build_dossier.ingest.config import Project
from build_dossier.model import Dossier
from build_dossier.pipeline import gather

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Recall:
    """Leave-one-out results over the ledger's positions."""

    cases: int
    debates: float
    positions: float
    first: float
    by_debate: float

    def table(self) -> str:
        rows = [("held-out debate among the 5 proposals", self.debates),
                ("… with the held-out passage", self.positions),
                ("held-out debate proposed first", self.first),
                ("debate recall, averaged by debate", self.by_debate)]
        return "\n".join([f"| leave-one-out over {self.cases} positions | recall |", "| --- | --- |"]
                         + [f"| {name} | {value:.1%} |" for name, value in rows])


def leave_one_out(dossier: Dossier) -> Recall:
    """Hold out each position of each debate in turn and see whether `suggest` puts it back."""
    space = _Space(dossier)  # the passages are the same in every case: one TF-IDF space
    found = same = first = 0
    per_debate: dict[str, list[bool]] = {}
    for i, claim in enumerate(dossier.claims):
        for held in claim.positions:
            claims = list(dossier.claims)
            claims[i] = dataclasses.replace(claim, positions=tuple(p for p in claim.positions if p is not held),
                                            relations=())
            joins = suggest(dataclasses.replace(dossier, claims=tuple(claims)), held.source, space).joins
            ids = [j.claim.id for j in joins]
            hit = claim.id in ids
            per_debate.setdefault(claim.id, []).append(hit)
            found += hit
            first += bool(ids) and ids[0] == claim.id
            same += hit and joins[ids.index(claim.id)].pick.passage.id == held.passage
    cases = sum(len(hits) for hits in per_debate.values())
    by_debate = sum(sum(hits) / len(hits) for hits in per_debate.values()) / len(per_debate)
    return Recall(cases, found / cases, same / cases, first / cases, by_debate)


@dataclass(frozen=True)
class Unseen:
    """Proposals for articles outside the ledger against a reading of them, averaged over the articles."""

    articles: int
    recall: float
    """Debates it joins among the proposals, of as many as could be (at most JOIN_TOP)."""
    precision: float
    """Proposals that are debates it joins."""

    def table(self) -> str:
        return "\n".join([f"| {self.articles} articles outside the ledger | |", "| --- | --- |",
                          f"| debates it joins among the proposals | {self.recall:.1%} |",
                          f"| proposals right | {self.precision:.1%} |"])


def unseen(tmp: Path) -> Unseen:
    """Add the labelled articles to a copy of the project in `tmp`, run `suggest` for each, compare with the labels."""
    from build_dossier.authoring.importer import Given, add
    from support import DATA, copy_project

    project = copy_project(tmp)
    labels = yaml.safe_load((DATA / "suggest-unseen.yaml").read_text(encoding="utf-8"))["articles"]
    for article in labels:
        given = Given(id=article["id"], authors=tuple(article.get("authors", ())), publisher=article.get("publisher"))
        add(project.sources_dir, DATA / "import" / article["file"], given, "2025-01-01")
    dossier, _ = gather(project)
    recall = precision = 0.0
    for article in labels:
        proposed = [join.claim.id for join in suggest(dossier, article["id"]).joins]
        right = len(set(proposed) & set(article["joins"]))
        recall += right / min(JOIN_TOP, len(article["joins"]))
        precision += right / len(proposed) if proposed else 0.0
    return Unseen(len(labels), recall / len(labels), precision / len(labels))


def main(root: Path = ROOT) -> None:
    logging.getLogger("build_dossier").setLevel(logging.WARNING)
    dossier, _ = gather(Project(root))
    print(leave_one_out(dossier).table())
    with tempfile.TemporaryDirectory() as tmp:
        print("\n" + unseen(Path(tmp)).table())


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT)
