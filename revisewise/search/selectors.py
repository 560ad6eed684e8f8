"""Search results shaped for the search page: hits grouped by the page they link to."""

from __future__ import annotations

from dataclasses import dataclass, field

from revisewise.content.models import Qualification, Unit
from revisewise.search.services import SearchHit, search_query, search_terms


@dataclass(frozen=True)
class SearchGroup:
    """The hits on one page: a unit, or a qualification for its overview and shared items."""

    qualification: Qualification
    unit: Unit | None
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.unit.title if self.unit else self.qualification.title

    @property
    def url(self) -> str:
        return (self.unit or self.qualification).get_absolute_url()


@dataclass(frozen=True)
class SearchResults:
    text: str
    terms: list[str]
    groups: list[SearchGroup]

    @property
    def hit_count(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def search_results_grouped(*, text: str, limit: int = 50) -> SearchResults:
    """Search and group the hits by page, pages in the order of their best hit."""
    groups: dict[tuple[int, int | None], SearchGroup] = {}
    for hit in search_query(text=text, limit=limit):
        key = (hit.qualification.pk, hit.unit.pk if hit.unit else None)
        groups.setdefault(key, SearchGroup(qualification=hit.qualification, unit=hit.unit))
        groups[key].hits.append(hit)
    return SearchResults(text=text, terms=search_terms(text=text), groups=list(groups.values()))
