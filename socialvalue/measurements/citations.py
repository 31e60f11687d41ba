"""Where a figure was published: the one place a value's citation is stored and read (ADR 020).

A figure for a year before the charter's first comes from a published report, so it is
recorded with its citation (document, page, link). Until every value points to a source
record, the citation is kept in the value's structured `source` under "citation"; these two
functions are all that knows it.
"""

from socialvalue.domain.earlier import CITATION_MAX_LENGTH

__all__ = ["CITATION_MAX_LENGTH", "citation_of", "with_citation"]


def with_citation(source: dict | None, citation: str) -> dict:
    """The value's structured source with its citation added (unchanged when blank)."""
    source = dict(source or {})
    if citation.strip():
        source["citation"] = " ".join(citation.split())
    return source


def citation_of(measurement) -> str:
    """Where the value's figure was published, or "" when it does not say."""
    source = measurement.source if isinstance(measurement.source, dict) else {}
    citation = source.get("citation", "")
    return citation if isinstance(citation, str) else ""
