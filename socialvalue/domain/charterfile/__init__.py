"""Charter files: a social value charter written as YAML (format ``socialvalue-charter/1``).

``parse_charter`` reads a file into frozen ``CharterSpec`` dataclasses or raises
``CharterFileError`` listing every problem, each with the line it is on. Checking runs in three
passes, and all three report: YAML syntax (and duplicate keys), the published JSON Schema
(``charter.schema.json``, so editors can check a file without this code), then the rules a
schema cannot say (codes unique across the file, real financial years, and each target's
parameters as ``targets.parse_target`` reads them). ``dump_charter`` writes a spec back as
readable YAML that parses to an equal spec. The format is documented in docs/charter-files.md.

One module per responsibility: ``spec`` (the format's names, the frozen specs, the problems
and the JSON Schema), ``reader`` (``parse_charter``) and ``writer`` (``dump_charter``).
Everything public is re-exported here, so ``from socialvalue.domain.charterfile import ...``
is the way in.
"""

from socialvalue.domain.charterfile.reader import oversize_problem, parse_charter, spec_from_dict
from socialvalue.domain.charterfile.spec import (
    FORMAT,
    SCHEMA_ID,
    CharterFileError,
    CharterSpec,
    FileProblem,
    IndicatorSource,
    IndicatorSpec,
    PledgeSpec,
    ThemeSpec,
    charter_schema,
    iter_indicators,
)
from socialvalue.domain.charterfile.writer import dump_charter, spec_to_dict

__all__ = [
    "FORMAT",
    "SCHEMA_ID",
    "CharterFileError",
    "CharterSpec",
    "FileProblem",
    "IndicatorSource",
    "IndicatorSpec",
    "PledgeSpec",
    "ThemeSpec",
    "charter_schema",
    "dump_charter",
    "iter_indicators",
    "oversize_problem",
    "parse_charter",
    "spec_from_dict",
    "spec_to_dict",
]
