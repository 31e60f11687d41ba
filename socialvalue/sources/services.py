"""Making sources. A source is written once, with the value it explains (ADR 025)."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from socialvalue.domain.computations import Computation
from socialvalue.organisations.models import Organisation

from .models import Kind, Source


def source_typed(*, actor, organisation: Organisation, citation: str = "") -> Source:
    """A figure a person typed in; `citation` says where it was published, if anywhere."""
    label = f"Typed in by {actor}" if actor else "Typed in"
    return Source(
        organisation=organisation,
        kind=Kind.TYPED,
        label=label[:300],
        recorded_by=actor,
        citation=citation.strip(),
    )


def source_sheet(
    *, actor, organisation: Organisation, file: str, worksheet: str, rows: list[int], where: str
) -> Source:
    """A figure read from rows of a values sheet; `where` is the sentence people read."""
    return Source(
        organisation=organisation,
        kind=Kind.SHEET,
        label=where[:300],
        recorded_by=actor,
        inputs={"file": file, "worksheet": worksheet, "rows": list(rows)},
    )


def source_computed(
    *,
    organisation: Organisation,
    computation: Computation,
    inputs: dict,
    label: str,
    import_record=None,
    factor_set: str = "",
    actor=None,
    method: str = "",
    kind: Kind = Kind.IMPORT,
) -> Source:
    """A figure a computation worked out. `inputs` must be JSON: the rows, matches, factors
    and assumptions it used, enough for a person to redo it by hand. Never put the names
    of individual people paid in it: the transparency rules redact them (issue 14)."""
    return Source(
        organisation=organisation,
        kind=kind,
        label=label[:300],
        recorded_by=actor,
        method=method or computation.method,
        computation=computation.name,
        computation_version=computation.version,
        factor_set=factor_set,
        import_record=import_record,
        # As stored and read back: a recomputation compares inputs with the stored ones.
        inputs=json.loads(json.dumps(inputs, cls=DjangoJSONEncoder)),
    )
