"""Where a figure was published: the one place a value's citation is set and read (ADR 020).

A figure for a year before the charter's first comes from a published report, so it is
recorded with its citation (document, page, link), kept on the value's source (ADR 025).
"""

from socialvalue.domain.earlier import CITATION_MAX_LENGTH

__all__ = ["CITATION_MAX_LENGTH", "citation_of", "with_citation"]


def with_citation(source, citation: str):
    """The unsaved source with its citation set, spaces tidied (unchanged when blank)."""
    if citation.strip():
        source.citation = " ".join(citation.split())
    return source


def citation_of(measurement) -> str:
    """Where the value's figure was published, or "" when it does not say."""
    source = getattr(measurement, "source", None)
    return (getattr(source, "citation", "") or "").strip()
