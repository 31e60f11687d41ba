"""The form for recording a value; its fields depend on the indicator's target kind."""

from django import forms
from django.conf import settings

from socialvalue.charters.models import Indicator
from socialvalue.domain import bounds
from socialvalue.domain.earlier import CITATION_MAX_LENGTH, EarlierYear
from socialvalue.domain.periods import Period
from socialvalue.domain.shapes import Shape
from socialvalue.domain.status import MilestoneState, Status
from socialvalue.domain.targets import Direction, TargetKind, shape_of
from socialvalue.measurements.services import Reading

# The four counts of a disparity (Shape.DISPARITY), as the form asks for them.
RATIO_FIELDS = {
    "events_a": "{a}: how many (for example appointed)",
    "population_a": "{a}: out of how many (for example shortlisted)",
    "events_b": "{b}: how many",
    "population_b": "{b}: out of how many",
}
# A part's share (Shape.SHARE_PARTS), as the form asks for it.
SHARE_FIELDS = {
    "numerator": "{label}: how many (numerator)",
    "denominator": "{label}: out of how many (denominator)",
}
SELF_STATUSES = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class BoundedNumberField(forms.DecimalField):
    """A number within a rule from bounds.py: its range, and whole for a count of things."""

    def __init__(self, *, rule: bounds.NumberRule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and (problem := self.rule.problem(value)):
            raise forms.ValidationError(f"{self.label} {problem}", code="bounds")


def _number_field(label: str, rule: bounds.NumberRule) -> BoundedNumberField:
    return BoundedNumberField(
        rule=rule,
        label=label,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a number",
        },
    )


def carries_a_figure(target) -> bool:
    """A maintain target with a level, or a direction to increase, decrease or maintain, may
    carry a figure per period beside the self-assessment (docs/status.md rule 8); a
    direction to deliver something has no figure to compare."""
    if target.kind == TargetKind.MAINTAIN:
        return target.level is not None
    if target.kind == TargetKind.DIRECTION:
        return target.direction != Direction.DELIVER
    return False


def figure_basis(target) -> str:
    """Whether a figure is for the period alone or stands for the year, as the status engine
    combines periods today (socialvalue/domain/combining.py)."""
    shape = shape_of(target)
    if target.kind == TargetKind.INCREASE_ON_BENCHMARK and shape is Shape.PARTS:
        return (
            "Enter each part's figure as it stands for this period, not a sum: "
            "the latest period's figure is compared with the part's benchmark."
        )
    pooled = (Shape.PARTS, Shape.SHARE_PARTS, Shape.DISPARITY, Shape.SHARE)
    if target.kind.is_cumulative or shape in pooled:
        return (
            "Enter the figures for this period alone, not the year to date: "
            "the year's figure is the sum of its periods."
        )
    if shape is Shape.MILESTONE:
        return "Say where it is up to at the end of this period."
    return (
        "Enter the figure as it stands for this period, not a sum: "
        "the latest period's figure is compared with the target."
    )


class RecordForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Which organisation is this value for?",
        error_messages={"required": "Select which organisation the value is for"},
    )
    period = forms.ChoiceField(label="Period", error_messages={"required": "Select a period"})
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)
    evidence = MultipleFileField(
        label="Evidence files",
        required=False,
        help_text="PDF, images, office documents or CSV",
    )
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea,
        required=False,
        help_text=(
            "Needed when a value for this period is already recorded, "
            "unless it was returned to you for changes"
        ),
    )

    def __init__(self, *args, indicator: Indicator, periods: list[Period], organisations, **kw):
        super().__init__(*args, **kw)
        self.indicator = indicator
        self.target = indicator.target
        self.periods = {p.key: p for p in periods}
        self.organisations = {str(o.pk): o for o in organisations}
        # No default when there is a choice: a group's lead must say whether the value is
        # the group's own or a member trust's, never record for the group by accident.
        self.fields["organisation"].choices = [("", "Select an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        self.fields["period"].choices = [(p.key, p.label) for p in reversed(periods)]
        self.basis = figure_basis(self.target)
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", str(organisations[0].pk))
        self.reading_fields = self._add_reading_fields()

    def _add_reading_fields(self) -> list[str]:
        shape = shape_of(self.target)
        unit = f" ({self.indicator.unit})" if self.indicator.unit else ""
        added: dict[str, forms.Field] = {}
        # Parts and a disparity's four figures count things (people, projects); a share's
        # figures and a value count things unless the unit is money or a measure.
        if shape is Shape.SHARE:
            rule = bounds.recorded_rule(self.indicator.unit, may_fall=False)
            things = self.indicator.unit or "things"
            added["numerator"] = _number_field(
                f"{things[0].upper()}{things[1:]} counted in the share (numerator)", rule
            )
            # The charter's method names the two in the indicator's own words, where given.
            added["numerator"].help_text = self.indicator.method
            added["denominator"] = _number_field(f"All {things} (denominator)", rule)
        elif shape is Shape.PARTS:
            for part in self.target.parts:
                added[f"part_{part.key}"] = _number_field(part.label.capitalize(), bounds.COUNT)
        elif shape is Shape.SHARE_PARTS:
            for part in self.target.parts:
                for name, label in SHARE_FIELDS.items():
                    added[f"part_{part.key}_{name}"] = _number_field(
                        label.format(label=part.label.capitalize()), bounds.COUNT
                    )
        elif shape is Shape.DISPARITY:
            for part in self.target.parts:
                for name, label in RATIO_FIELDS.items():
                    added[f"part_{part.key}_{name}"] = _number_field(
                        f"{part.label}: " + label.format(a=part.group_a, b=part.group_b),
                        bounds.COUNT,
                    )
        elif shape is Shape.MILESTONE:
            added["milestone_state"] = forms.ChoiceField(
                label="Where is it up to?",
                choices=[
                    (MilestoneState.NOT_STARTED.value, "Not started"),
                    (MilestoneState.IN_PROGRESS.value, "In progress"),
                    (MilestoneState.DONE.value, "Done"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": "Select where it is up to"},
            )
            # A browser's date picker sends 2024-03-31 and shows the date the local way;
            # typed by hand, a date is read day first, the UK way.
            added["achieved_on"] = forms.DateField(
                label="Date done",
                required=False,
                widget=forms.DateInput,
                input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"],
                help_text="For example, 31/3/2024 or 31 March 2024",
                error_messages={
                    "invalid": "Enter the date done as a real date, like 31/3/2024 or 31 March 2024"
                },
            )
        elif shape is Shape.SELF_ASSESSMENT:
            added["self_status"] = forms.ChoiceField(
                label="How is it going?",
                choices=[(s.value, s.label) for s in SELF_STATUSES],
                widget=forms.RadioSelect,
                error_messages={"required": "Select how it is going"},
            )
            added["narrative"] = forms.CharField(
                label="What has been done",
                widget=forms.Textarea,
                error_messages={"required": "Enter what has been done"},
            )
            if carries_a_figure(self.target):
                rule = bounds.recorded_rule(self.indicator.unit, may_fall=True)
                added["value"] = _number_field(f"Figure for the period{unit} (optional)", rule)
                added["value"].required = False
        else:
            rule = bounds.recorded_rule(self.indicator.unit, may_fall=True)
            added["value"] = _number_field(f"Value{unit}", rule)
        for name, field in added.items():
            self.fields[name] = field
        order = ["organisation", "period", *added, "note", "evidence", "reason"]
        self.order_fields(order)
        return list(added)

    def clean_evidence(self):
        # Refuse oversized files before reading them into memory; content checks follow
        # in the service, which sees the bytes.
        uploads = self.cleaned_data["evidence"]
        if len(uploads) > settings.UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                f"Select up to {settings.UPLOAD_MAX_FILES} files at a time "
                f"({len(uploads)} were selected)"
            )
        limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
        for upload in uploads:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} must be smaller than {settings.EVIDENCE_MAX_MB} MB"
                )
        if sum(u.size for u in uploads) > settings.UPLOAD_MAX_TOTAL_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected files must be smaller than {settings.UPLOAD_MAX_TOTAL_MB} MB "
                "together"
            )
        return uploads

    def clean_period(self) -> Period:
        return self.periods[self.cleaned_data["period"]]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("denominator") == 0 and cleaned.get("numerator"):
            self.add_error("denominator", "The denominator must be more than the numerator")
        elif (
            cleaned.get("denominator") is not None
            and cleaned.get("numerator") is not None
            and cleaned["numerator"] > cleaned["denominator"]
        ):
            self.add_error("numerator", "The numerator must not be more than the denominator")
        if shape_of(self.target) is Shape.SHARE_PARTS:
            for part in self.target.parts:
                numerator = cleaned.get(f"part_{part.key}_numerator")
                denominator = cleaned.get(f"part_{part.key}_denominator")
                if numerator is not None and denominator is not None and numerator > denominator:
                    self.add_error(
                        f"part_{part.key}_numerator",
                        f"{part.label.capitalize()}: the numerator must not be more than "
                        "the denominator",
                    )
        if shape_of(self.target) is Shape.DISPARITY:
            for part in self.target.parts:
                for group in ("a", "b"):
                    events = cleaned.get(f"part_{part.key}_events_{group}")
                    population = cleaned.get(f"part_{part.key}_population_{group}")
                    if events is not None and population is not None and events > population:
                        self.add_error(
                            f"part_{part.key}_events_{group}",
                            f"{part.label}: how many must not be more than out of how many",
                        )
        done = cleaned.get("milestone_state") == MilestoneState.DONE
        if done and not cleaned.get("achieved_on") and "achieved_on" not in self.errors:
            self.add_error("achieved_on", "Enter the date it was done")
        if cleaned.get("achieved_on") and (problem := bounds.date_problem(cleaned["achieved_on"])):
            self.add_error("achieved_on", f"Date done {problem}")
        return cleaned

    def reading(self) -> Reading:
        data = self.cleaned_data
        shape = shape_of(self.target)
        parts: dict = {}
        if shape is Shape.PARTS:
            parts = {p.key: data[f"part_{p.key}"] for p in self.target.parts}
        elif shape is Shape.SHARE_PARTS:
            parts = {
                p.key: {name: data[f"part_{p.key}_{name}"] for name in SHARE_FIELDS}
                for p in self.target.parts
            }
        elif shape is Shape.DISPARITY:
            parts = {
                p.key: {name: data[f"part_{p.key}_{name}"] for name in RATIO_FIELDS}
                for p in self.target.parts
            }
        state = data.get("milestone_state")
        status = data.get("self_status")
        return Reading(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            parts=parts,
            milestone_state=MilestoneState(state) if state else None,
            achieved_on=data.get("achieved_on"),
            self_status=Status(status) if status else None,
            narrative=data.get("narrative", ""),
        )


class EarlierFigureForm(RecordForm):
    """The figure for a year before the charter's first that the target is built on: one
    figure for the whole year, in the indicator's reading shape, with where it was published
    (ADR 020)."""

    citation = forms.CharField(
        label="Where was this figure published?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CITATION_MAX_LENGTH,
        help_text=(
            "The document, page or link it comes from, for example "
            '"Annual report 2022/23, page 14" or a web address'
        ),
        error_messages={
            "required": "Enter where the figure was published: the document, page or link",
            "max_length": (
                f"Where it was published must be {CITATION_MAX_LENGTH:,} characters or fewer"
            ),
        },
    )

    def __init__(self, *args, indicator: Indicator, earlier: EarlierYear, organisations, **kw):
        super().__init__(
            *args,
            indicator=indicator,
            periods=[earlier.period],
            organisations=organisations,
            **kw,
        )
        self.earlier = earlier
        self.fields["period"].widget = forms.HiddenInput()
        self.initial["period"] = earlier.period.key
        year = earlier.year.label
        self.basis = (
            f"Enter the figure for the whole of {year}, as published: one figure for the "
            f"year, however often {indicator.code} is reported."
        )
        self.order_fields(
            ["organisation", "period", *self.reading_fields, "citation", "note", "evidence"]
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approved", "Approve"), ("returned", "Return with a comment")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or return"},
    )
    comment = forms.CharField(label="Comment", widget=forms.Textarea, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "returned" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Enter a comment saying what needs to change")
        return cleaned
