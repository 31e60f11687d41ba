"""The workforce, outpatient and carbon kinds of `socialvalue import` (docs/cli.md).

Each kind reads its files with the pure readers in `socialvalue.domain` (layouts in
docs/workforce-and-carbon-files.md), reports what was read, and, when every file is good,
the figures worked out from them with how each was worked out. Without --dry-run the files
are kept on an import and their rows saved, all or nothing (`socialvalue.equality.services`,
ADR 024); the figures are then worked out from saved imports (`socialvalue.equality.figures`).
"""

from __future__ import annotations

import json as jsonlib
import sys
from contextlib import ExitStack
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import CommandError

from socialvalue.domain.carbon import (
    AVERAGE_CAR_KM,
    MODE_FACTORS,
    PAPER_PRIMARY,
    PAPER_RECYCLED,
    FactorSet,
    Ream,
    TravelAssumptions,
    avoided_travel,
    paper_use,
)
from socialvalue.domain.carbon_files import read_factors, read_paper
from socialvalue.domain.file_readings import Reading
from socialvalue.domain.outpatient_files import read_outpatients
from socialvalue.domain.outpatients import virtual_share
from socialvalue.domain.workforce import MEASURES, SENIOR_BANDS, senior_representation
from socialvalue.domain.workforce_files import (
    likelihoods,
    read_recruitment,
    read_staff_survey,
    read_workforce,
    survey_comparisons,
)
from socialvalue.organisations.models import Organisation

__all__ = ["KINDS", "add_parsers", "run"]

KINDS = {
    "recruitment": "Shortlisting and appointments by group (WRES 2, WDES 2).",
    "staff-survey": "Staff survey results by ethnic group and disability.",
    "workforce": "Staff in post by year, pay band and group (senior-role representation).",
    "outpatients": "Outpatient appointments by month and consultation medium.",
    "factors": "A DESNZ greenhouse gas conversion factors flat file (XLSX).",
    "paper": "Paper bought, in reams or tonnes.",
}


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return value


def _mode(text: str) -> tuple[str, Decimal]:
    mode, _, share = text.partition("=")
    if not share:
        raise ValueError(f"'{text}': give a mode and its share, like car=0.88")
    return mode.strip().lower(), _decimal(share)


def add_parsers(sub) -> None:
    parsers = {}
    for kind, text in KINDS.items():
        p = sub.add_parser(kind, help=text, description=text)
        p.add_argument("file", nargs="+", help="A file: CSV or XLSX.")
        p.add_argument("--org", required=True, help="The organisation's ODS code, e.g. RXN.")
        p.add_argument(
            "--dry-run", action="store_true", help="Read and check the files; save nothing."
        )
        p.add_argument("--json", action="store_true", help="Print one JSON object.")
        parsers[kind] = p
    parsers["recruitment"].add_argument(
        "--threshold",
        type=int,
        default=10,
        help="Counts below this are flagged as unstable (default 10).",
    )
    parsers["staff-survey"].add_argument(
        "--suppress-below",
        type=int,
        default=11,
        help="Groups with fewer respondents than this are suppressed (default 11).",
    )
    workforce = parsers["workforce"]
    workforce.add_argument(
        "--senior-bands",
        default=",".join(b.upper() if b == "vsm" else b for b in SENIOR_BANDS),
        help="The bands counted as senior roles, comma-separated (default 8c,8d,9,VSM).",
    )
    workforce.add_argument("--year", help="The year to report (default: the latest in the files).")
    workforce.add_argument(
        "--benchmark-year",
        help="The year to compare with, as written in the files (e.g. 2022); default none.",
    )
    outpatients = parsers["outpatients"]
    outpatients.add_argument("--factors", help="A DESNZ flat file, for avoided patient travel.")
    outpatients.add_argument(
        "--round-trip-km",
        type=_decimal,
        help="The organisation's stated round-trip distance per appointment, in km.",
    )
    outpatients.add_argument(
        "--mode",
        action="append",
        type=_mode,
        default=[],
        help="Share of journeys by a mode, repeatable: car=0.88 bus=0.03 rail=0.08.",
    )
    outpatients.add_argument(
        "--assumptions-source", default="", help="Where the distance and mode shares come from."
    )
    parsers["factors"].add_argument(
        "--show", action="append", default=[], help="Also show the factor with this ID."
    )
    paper = parsers["paper"]
    paper.add_argument("--factors", help="A DESNZ flat file, for the paper's carbon.")
    paper.add_argument(
        "--baseline-reams", type=_decimal, help="The baseline year's paper, in reams."
    )
    paper.add_argument(
        "--recycled",
        action="store_true",
        help="Use the closed-loop (recycled) paper factor instead of primary production.",
    )
    paper.add_argument("--sheets-per-ream", type=int, default=500, help="Default 500.")
    paper.add_argument("--gsm", type=_decimal, default=Decimal(80), help="Paper weight, g/m² (80).")


def _file_summary(reading: Reading) -> dict:
    return {
        "file": reading.file,
        "ok": reading.ok,
        "layout": reading.layout or None,
        "rows_read": reading.rows_read,
        "notes": list(reading.notes),
        "problems": [p.to_dict() for p in reading.problems],
        "problems_not_listed": reading.problems_left_out,
    }


def run(command, *, kind: str, file, org: str, dry_run: bool, json: bool, **options) -> None:
    organisation = Organisation.objects.filter(code=org).first()
    if organisation is None:
        raise CommandError(f"No organisation has the code '{org}'.")
    if not dry_run:
        _save(command, kind=kind, files=file, organisation=organisation, json=json)
        return
    readings, figures, extra_problems = _KINDS[kind]([Path(f) for f in file], org=org, **options)
    files = [_file_summary(r) for r in readings]
    ok = all(r.ok for r in readings) and not extra_problems
    if json:
        out = {
            "kind": kind,
            "organisation": org,
            "dry_run": True,
            "ok": ok,
            "files": files,
            "figures": figures if ok else [],
            "problems": [p for f in files for p in f["problems"]] + extra_problems,
        }
        command.stdout.write(jsonlib.dumps(out, indent=2, ensure_ascii=False))
    else:
        _print_text(command, readings, figures if ok else [], extra_problems)
        command.stdout.write("Dry run: nothing was saved.")
    if not ok:
        sys.exit(1)


def _save(command, *, kind: str, files, organisation, json: bool) -> None:
    """Keep the files on an import and save their rows, all or nothing (ADR 024)."""
    from socialvalue.equality.services import equality_import_run
    from socialvalue.imports.models import State, Via
    from socialvalue.imports.services import Upload, import_create

    paths = [Path(f) for f in files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CommandError(f"No such file: {', '.join(missing)}. Nothing was saved.")
    with ExitStack() as stack:
        uploads = [Upload(p.name, stack.enter_context(p.open("rb"))) for p in paths]
        record = import_create(organisation=organisation, kind=kind, uploads=uploads, via=Via.CLI)
    record = equality_import_run(import_id=record.pk)
    report = record.report
    ok = record.state == State.DONE
    if json:
        out = {
            "kind": kind,
            "organisation": organisation.code,
            "dry_run": False,
            "import": record.pk,
            "state": record.state,
            "ok": ok,
            **report,
        }
        command.stdout.write(jsonlib.dumps(out, indent=2, ensure_ascii=False))
    else:
        for f in report.get("files", []):
            if f["ok"]:
                command.stdout.write(f"{f['file']}: {f['rows']} rows read ({f['layout']})")
            else:
                command.stdout.write(
                    f"{f['file']}: refused, {f['rows_rejected']} rows with problems"
                )
            for note in f["notes"]:
                command.stdout.write(f"  {note}")
        for item in report.get("already_imported", []):
            command.stdout.write(
                f"{item['file']}: already imported in import {item['import']}: adds nothing"
            )
        for problem in report.get("problems", []):
            command.stderr.write(f"  {_where(problem)}: {problem['message']}")
        if ok:
            saved = ", ".join(f"{n} {what}" for what, n in report.get("saved", {}).items())
            command.stdout.write(f"Import {record.pk} done: saved {saved or 'nothing new'}.")
            for item in report.get("indicators", []):
                command.stdout.write(
                    f"  {item['indicator']} {item['period']}: computed value, version "
                    f"{item['version']}"
                )
            if report.get("indicators_problem"):
                command.stderr.write(f"  {report['indicators_problem']}")
        else:
            command.stdout.write(f"Import {record.pk} failed: nothing was saved.")
    if not ok:
        sys.exit(1)


def _where(problem: dict) -> str:
    where = (problem.get("file") or "") + (f"[{problem['sheet']}]" if problem.get("sheet") else "")
    if problem.get("row") is not None:
        where += f":{problem['row']}"
    if problem.get("column"):
        where += f":{problem['column']}"
    return where


def _print_text(command, readings, figures, extra_problems) -> None:
    for r in readings:
        if r.ok:
            command.stdout.write(f"{r.file}: {r.rows_read} rows read ({r.layout})")
        else:
            n = len(r.problems) + r.problems_left_out
            command.stdout.write(
                f"{r.file}: refused, {n} problem{'s' if n != 1 else ''}; nothing from it is used"
            )
        for note in r.notes:
            command.stdout.write(f"  {note}")
        for problem in r.problems:
            command.stderr.write(f"  {problem}")
        if r.problems_left_out:
            command.stderr.write(f"  … and {r.problems_left_out} more problems")
    for problem in extra_problems:
        command.stderr.write(f"  {problem['message']}")
    for figure in figures:
        command.stdout.write(f"{figure['title']}: {figure['headline']}")
        command.stdout.write(f"  How this was worked out: {figure['method']}")


def _flags(readings) -> bool:
    return all(r.ok for r in readings)


# --- the kinds ------------------------------------------------------------------------------


def _recruitment(paths, *, org, threshold, **_):
    readings = [read_recruitment(p, name=str(p)) for p in paths]
    figures = []
    if _flags(readings):
        rows = [row for r in readings for row in r.rows]
        for year, result in likelihoods(rows, threshold=threshold):
            data = result.to_dict()
            headline = data["ratio"] if data["ratio"] is not None else result.reason
            if data["declaration_rate_percent"] is not None:
                headline += f"; declaration rate {data['declaration_rate_percent']}%"
            if result.unstable:
                headline += " (unstable: small counts)"
            title = result.measure.code + (f" {year}" if year else "")
            figures.append({"title": title, "year": year or None, "headline": headline, **data})
    return readings, figures, []


def _staff_survey(paths, *, org, suppress_below, **_):
    readings = [read_staff_survey(p, name=str(p), org=org) for p in paths]
    figures = []
    if _flags(readings):
        rows = [row for r in readings for row in r.rows]
        for row in rows:
            if row.characteristic is None:
                figures.append(
                    {
                        "title": f"{row.year} {row.question} (all staff)",
                        "headline": f"{row.percent.quantize(Decimal('0.1'))}% of "
                        f"{row.respondents} respondents",
                        "year": row.year,
                        "percent": str(row.percent),
                        "respondents": row.respondents,
                        "method": "As published: all staff, not split by group, so no gap or "
                        "ratio.",
                    }
                )
        for year, comparison in survey_comparisons(rows, suppress_below=suppress_below):
            data = comparison.to_dict()
            if comparison.reason and comparison.gap_points is None:
                headline = comparison.reason
            else:
                headline = f"gap {data['gap_points']} points ({data['gap_label']})"
                headline += (
                    f"; ratio {data['ratio']} ({data['ratio_label']})"
                    if data["ratio"] is not None
                    else f"; {comparison.reason}"
                )
            figures.append(
                {
                    "title": f"{year + ' ' if year else ''}{comparison.question} "
                    f"({comparison.measure.characteristic.value})",
                    "year": year or None,
                    "headline": headline,
                    **data,
                }
            )
    return readings, figures, []


def _workforce(paths, *, org, senior_bands, year, benchmark_year, **_):
    readings = [read_workforce(p, name=str(p)) for p in paths]
    figures, problems = [], []
    bands = tuple(b.strip() for b in senior_bands.split(",") if b.strip())
    if _flags(readings):
        rows = [row for r in readings for row in r.rows]
        years = sorted({row.headcount.year for row in rows})
        chosen = year or (years[-1] if years else None)
        for wanted, label in ((chosen, "--year"), (benchmark_year, "--benchmark-year")):
            if wanted and wanted not in years:
                problems.append(
                    {
                        "message": f"{label} {wanted}: the files have no rows for that year "
                        f"(they have {', '.join(years)})"
                    }
                )
        if not problems and chosen:
            for characteristic, measure in MEASURES.items():
                mine = [r.headcount for r in rows if r.characteristic == characteristic]
                if not mine:
                    continue
                result = senior_representation(
                    measure, mine, year=chosen, benchmark_year=benchmark_year, bands=bands
                )
                data = result.to_dict()
                headline = (
                    f"{data['share_percent']}% of staff in senior roles are {measure.comparison}"
                    if result.share is not None
                    else result.reason
                )
                if result.change_points is not None:
                    headline += (
                        f" ({data['change_points']} points on {benchmark_year}, when it was "
                        f"{data['benchmark_share_percent']}%)"
                    )
                figures.append(
                    {
                        "title": f"Senior roles, {characteristic.value}, {chosen}",
                        "headline": headline,
                        **data,
                    }
                )
    return readings, figures, problems


def _load_factors(path: str | None) -> tuple[FactorSet | None, list[dict], Reading | None]:
    if not path:
        return None, [], None
    result = read_factors(Path(path), name=path)
    if not result.reading.ok:
        return None, [], result.reading
    return result.factor_set, [], result.reading


def _outpatients(paths, *, org, factors, round_trip_km, mode, assumptions_source, **_):
    readings = [read_outpatients(p, name=str(p)) for p in paths]
    factor_set, problems, factor_reading = _load_factors(factors)
    if factor_reading is not None:
        readings.append(factor_reading)
    figures = []
    if _flags(readings):
        counts = [c for r in readings[: len(paths)] for c in r.rows]
        share = virtual_share(counts)
        data = share.to_dict()
        headline = (
            f"{data['virtual_share_percent']}% virtual ({share.virtual} of {share.total})"
            if share.share is not None
            else share.reason
        )
        figures.append({"title": "Virtual consultations", "headline": headline, **data})
        wanted = [round_trip_km is not None, bool(mode), factor_set is not None]
        if any(wanted) and not all(wanted):
            problems.append(
                {
                    "message": "avoided patient travel needs all of --round-trip-km, --mode "
                    "(one per mode, e.g. --mode car=0.88) and --factors"
                }
            )
        elif all(wanted):
            assumptions = TravelAssumptions(
                round_trip_km=round_trip_km, mode_shares=dict(mode), source=assumptions_source
            )
            try:
                travel = avoided_travel(
                    appointments=share.virtual, assumptions=assumptions, factor_set=factor_set
                )
            except (ValueError, LookupError) as error:
                problems.append({"message": f"avoided patient travel: {error}"})
            else:
                t = travel.to_dict()
                figures.append(
                    {
                        "title": "Avoided patient travel",
                        "headline": f"{t['kg_co2e']} kg CO2e ({t['tonnes_co2e']} tonnes)",
                        **t,
                    }
                )
    return readings, figures, problems


def _factors(paths, *, org, show, **_):
    readings, figures = [], []
    for path in paths:
        result = read_factors(path, name=str(path))
        readings.append(result.reading)
        if result.factor_set is None:
            continue
        fs = result.factor_set
        shown = []
        for key in (
            AVERAGE_CAR_KM,
            MODE_FACTORS["bus"],
            MODE_FACTORS["rail"],
            PAPER_PRIMARY,
            PAPER_RECYCLED,
        ):
            try:
                shown.append(fs.lookup(key))
            except LookupError:
                continue
        for factor_id in show:
            found = fs.by_id(factor_id)
            if found is None:
                return readings, [], [{"message": f"{path}: no factor with ID {factor_id}"}]
            shown.append(found)
        figures.append(
            {
                "title": fs.label,
                "headline": f"{len(fs.factors)} factors",
                "year": fs.year,
                "version": fs.version,
                "factors": [f.to_dict(fs) for f in shown],
                "method": "Read from the sheet 'Factors by Category'; "
                + "; ".join(
                    f"{f.path()} = {f.value} {f.ghg_unit} per {f.per} (ID {f.id}, row {f.row})"
                    for f in shown
                ),
            }
        )
    return readings, figures, []


def _paper(paths, *, org, factors, baseline_reams, recycled, sheets_per_ream, gsm, **_):
    readings = [read_paper(p, name=str(p)) for p in paths]
    factor_set, problems, factor_reading = _load_factors(factors)
    if factor_reading is not None:
        readings.append(factor_reading)
    figures = []
    if sheets_per_ream <= 0 or gsm <= 0:
        problems.append({"message": "--sheets-per-ream and --gsm must be more than 0"})
    if _flags(readings) and not problems:
        bought = [row.bought for r in readings[: len(paths)] for row in r.rows]
        try:
            use = paper_use(
                bought,
                factor_set=factor_set,
                baseline_reams=baseline_reams,
                ream=Ream(sheets=sheets_per_ream, gsm=gsm),
                factor_key=PAPER_RECYCLED if recycled else PAPER_PRIMARY,
            )
        except LookupError as error:
            problems.append({"message": f"paper: {error}"})
        else:
            data = use.to_dict()
            headline = f"{data['reams']} reams ({data['tonnes']} tonnes)"
            if data["change_percent"] is not None:
                headline += f", {data['change_percent']}% on the baseline"
            if data["kg_co2e"] is not None:
                headline += f", {data['kg_co2e']} kg CO2e"
            if use.reason:
                headline += f" ({use.reason})"
            figures.append({"title": "Paper", "headline": headline, **data})
    return readings, figures, problems


_KINDS = {
    "recruitment": _recruitment,
    "staff-survey": _staff_survey,
    "workforce": _workforce,
    "outpatients": _outpatients,
    "factors": _factors,
    "paper": _paper,
}
