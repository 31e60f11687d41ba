"""Forms for charters. Fields convert to domain types; writes happen in services."""

from decimal import Decimal

from django import forms

from socialvalue.charters.models import Charter, DataSource, Pledge
from socialvalue.charters.services import target_change_refusal
from socialvalue.domain import bounds
from socialvalue.domain.computations import COMPUTATIONS
from socialvalue.domain.numbers import format_number
from socialvalue.domain.periods import FinancialYear, Frequency
from socialvalue.domain.status import Thresholds
from socialvalue.domain.targets import Comparison, TargetError, TargetKind, parse_target
from socialvalue.domain.timing import Accumulation
from socialvalue.domain.vocab import NET_ZERO_PRIORITIES, SOCIAL_VALUE_MODEL_THEMES


def _required(message: str) -> dict:
    return {"required": message}


def _threshold_messages(name: str, example: str) -> dict:
    rule = bounds.THRESHOLD_PERCENT
    between = f"{name} must be between {_percent(rule.minimum)} and {_percent(rule.maximum)}"
    places = (
        f"{name} must have {rule.places} decimal place{'s' if rule.places != 1 else ''} or fewer"
    )
    return {
        "required": f"Enter the {name[0].lower()}{name[1:]} as a percentage, like {example}",
        "invalid": f"{name} must be a number, like {example}",
        # Django formats these with the limit (%-style), so a percent sign is doubled.
        "min_value": between.replace("%", "%%"),
        "max_value": between.replace("%", "%%"),
        "max_decimal_places": places,
        "max_digits": places,
        "max_whole_digits": between.replace("%", "%%"),
    }


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


class ThresholdField(forms.DecimalField):
    """A threshold entered as a percentage of the expected figure (90) within
    bounds.THRESHOLD_PERCENT, cleaned to the share the charter keeps (0.9), with one message
    however many limits it breaks."""

    def __init__(self, **kwargs):
        rule = bounds.THRESHOLD_PERCENT
        kwargs.update(min_value=rule.minimum, max_value=rule.maximum, decimal_places=rule.places)
        super().__init__(**kwargs)

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.error_list[:1]) from None

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else percent / 100

    def prepare_value(self, value):
        # Initial values are the stored shares (0.9); what was typed is shown as typed.
        if isinstance(value, Decimal):
            return f"{(value * 100).normalize():f}"
        return value


class CodeField(forms.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(
            regex=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
            error_messages={
                "required": "Enter a code",
                "invalid": "Code must only include letters, numbers and hyphens",
                "max_length": "Code must be 40 characters or fewer",
            },
            **kwargs,
        )


class YearsField(forms.CharField):
    """Financial years as text, like "2023/24, 2024/25"."""

    def to_python(self, value):
        text = super().to_python(value)
        years = []
        for piece in text.replace(";", ",").split(","):
            if not piece.strip():
                continue
            try:
                years.append(FinancialYear.parse(piece.strip()))
            except ValueError as error:
                if str(error) == bounds.YEAR_RANGE_MESSAGE:
                    raise forms.ValidationError(
                        f"{bounds.YEAR_RANGE_MESSAGE} ({piece.strip()!r} is not)"
                    ) from None
                raise forms.ValidationError(
                    f"Enter financial years like 2023/24, separated by commas ({piece.strip()!r} "
                    "is not one)"
                ) from None
        return sorted(set(years))

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(y.label for y in value)
        return value


class CharterForm(forms.Form):
    code = CodeField(label="Code", help_text="A short code for the charter, like RXN-SV")
    title = forms.CharField(max_length=300, error_messages=_required("Enter a title"))
    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        empty_label=None,
        error_messages=_required("Select an organisation"),
    )
    years = YearsField(
        label="Reporting years",
        help_text="Financial years, 1 April to 31 March, like 2023/24, 2024/25",
        error_messages=_required("Enter at least one reporting year"),
    )
    definition = forms.CharField(widget=forms.Textarea, required=False)
    mission = forms.CharField(label="Mission statement", widget=forms.Textarea, required=False)
    at_risk_below = ThresholdField(
        label="At risk below (% of expected)",
        help_text=(
            "An indicator below this percentage of its expected-to-date figure is at risk, like 90"
        ),
        initial=Decimal("0.9"),
        error_messages=_threshold_messages("At-risk threshold", "90"),
    )
    off_track_below = ThresholdField(
        label="Off track below (% of expected)",
        help_text="Below this percentage it is off track, like 75",
        initial=Decimal("0.75"),
        error_messages=_threshold_messages("Off-track threshold", "75"),
    )

    self_approval_allowed = forms.BooleanField(
        label="Allow a lead to approve values they recorded themselves",
        help_text=(
            "Only for a one-person team. Otherwise someone else must approve each value "
            "(four eyes). Every change of this setting is kept in the charter's history."
        ),
        required=False,
    )

    def __init__(self, *args, organisations, editing: Charter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["organisation"].queryset = organisations
        if editing is not None:
            del self.fields["code"]
            del self.fields["organisation"]
        else:
            del self.fields["self_approval_allowed"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Charter.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError("A charter with this code already exists")
        return code

    def clean(self):
        cleaned = super().clean()
        at_risk, off_track = cleaned.get("at_risk_below"), cleaned.get("off_track_below")
        if at_risk is not None and off_track is not None:
            if off_track >= at_risk:
                self.add_error(
                    "off_track_below", "Off-track threshold must be lower than the at-risk one"
                )
            else:
                cleaned["thresholds"] = Thresholds(at_risk=at_risk, off_track=off_track)
        return cleaned


class ThemeForm(forms.Form):
    code = CodeField(label="Code", help_text="Like ECON")
    title = forms.CharField(max_length=200, error_messages=_required("Enter a title"))
    description = forms.CharField(widget=forms.Textarea, required=False)
    social_value_model = forms.MultipleChoiceField(
        label="UK Social Value Model themes",
        choices=SOCIAL_VALUE_MODEL_THEMES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    net_zero = forms.MultipleChoiceField(
        label="NHS net zero priorities",
        choices=NET_ZERO_PRIORITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, charter: Charter, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.charter, self.editing = charter, editing

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = self.charter.themes.filter(code__iexact=code)
        if self.editing is not None:
            clash = clash.exclude(pk=self.editing.pk)
        if clash.exists():
            raise forms.ValidationError("This charter already has a theme with this code")
        return code


class PledgeForm(forms.Form):
    code = CodeField(label="Code", help_text="Like ECON-P1")
    text = forms.CharField(
        label="Pledge", widget=forms.Textarea, error_messages=_required("Enter the pledge")
    )

    def __init__(self, *args, theme, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme, self.editing = theme, editing

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = self.theme.pledges.filter(code__iexact=code)
        if self.editing is not None:
            clash = clash.exclude(pk=self.editing.pk)
        if clash.exists():
            raise forms.ValidationError("This theme already has a pledge with this code")
        return code


# Fields shown under "Years and how figures add up" rather than with the kind's own.
LATER = ("cumulative", "accumulation")

# Target parameters each kind reads from the form, in the order the form shows them.
# The years a target applies (docs/targets.md, "Years: start, due and cumulative").
YEAR_FIELDS = ["start_year", "due_year", "due_until"]
TARGET_FIELDS = {
    TargetKind.COUNT: [
        "value",
        "comparison",
        "lower",
        "upper",
        "baseline_period",
        "baseline_value",
        *YEAR_FIELDS,
        "cumulative",
        "accumulation",
    ],
    TargetKind.COUNTS: ["parts"],
    TargetKind.GROWTH_FROM_BASELINE: [
        "rate_percent",
        "change",
        "baseline_period",
        "baseline_value",
        *YEAR_FIELDS,
        "accumulation",
    ],
    TargetKind.GROWTH_ON_PREVIOUS: ["rate_percent", "accumulation"],
    TargetKind.REDUCTION_FROM_BASELINE: [
        "rate_percent",
        "baseline_period",
        "baseline_value",
        *YEAR_FIELDS,
        "accumulation",
    ],
    TargetKind.SHARE: [
        "target_percent",
        "comparison",
        "lower",
        "upper",
        "baseline_period",
        "baseline_value",
        *YEAR_FIELDS,
        "accumulation",
    ],
    TargetKind.RATIO_BAND: ["lower", "upper", "parts"],
    TargetKind.INCREASE_ON_BENCHMARK: ["benchmark_period", "benchmark_value", "measure", "parts"],
    TargetKind.MILESTONE: ["due", "recurs"],
    TargetKind.MAINTAIN: ["maintain_description", "level"],
    TargetKind.DIRECTION: ["direction"],
}


# Every target parameter field, whichever kind reads it: the form keeps only the chosen kind's.
ALL_TARGET_FIELDS = list(dict.fromkeys(name for names in TARGET_FIELDS.values() for name in names))


class IndicatorKindForm(forms.Form):
    """The first step of the indicator form: the kind of target, whose fields follow."""

    target_kind = forms.ChoiceField(
        label="What kind of target does it have?",
        choices=[(k.value, k.label) for k in TargetKind],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of target",
            "invalid_choice": "Select the kind of target",
        },
    )


def chosen_kind(value: object) -> TargetKind | None:
    """A kind named in a request, or None when it names none."""
    try:
        return TargetKind(value) if isinstance(value, str) else None
    except ValueError:
        return None


# Words used in indicator URLs (charters/<code>/indicators/new/) cannot be indicator codes.
RESERVED_INDICATOR_CODES = {"new"}

# Form fields whose target parameter has another name (the indicator has a description too).
PARAM_NAMES = {"maintain_description": "description"}
FIELD_NAMES = {v: k for k, v in PARAM_NAMES.items()}


# The cells of one line of the parts field, by kind.
PART_CELLS = {
    TargetKind.COUNTS: ["key", "label", "value"],
    TargetKind.RATIO_BAND: ["key", "label", "group_a", "group_b"],
    TargetKind.INCREASE_ON_BENCHMARK: ["key", "label", "benchmark_value"],
}


def _parse_parts(kind: TargetKind, text: str) -> list[dict]:
    """One part per line: counts "key | label | value"; ratio bands
    "key | label | group A | group B"; a benchmark's "key | label | benchmark figure" (the
    figure may be left out)."""
    parts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        part = dict(zip(PART_CELLS[kind], cells, strict=False))
        if kind == TargetKind.INCREASE_ON_BENCHMARK and not part.get("benchmark_value"):
            part.pop("benchmark_value", None)
        parts.append(part)
    return parts


def _format_parts(kind: str, parts: list[dict]) -> str:
    keys = PART_CELLS[TargetKind(kind)]
    return "\n".join(" | ".join(str(p.get(k, "")) for k in keys).rstrip(" |") for p in parts)


class IndicatorForm(forms.Form):
    code = CodeField(label="Code", help_text="Like ECON-01")
    title = forms.CharField(widget=forms.Textarea, error_messages=_required("Enter a title"))
    description = forms.CharField(widget=forms.Textarea, required=False)
    pledge = forms.ModelChoiceField(
        queryset=Pledge.objects.none(),
        empty_label=None,
        error_messages=_required("Select a pledge"),
    )
    unit = forms.CharField(max_length=60, required=False, help_text="Like people, events or £")
    frequency = forms.ChoiceField(
        choices=[(f.value, f.label) for f in Frequency],
        widget=forms.RadioSelect,
        error_messages=_required("Select how often it is reported"),
    )
    source = forms.ChoiceField(
        label="Data source",
        choices=DataSource.choices,
        widget=forms.RadioSelect,
        initial=DataSource.MANUAL,
        error_messages=_required("Select a data source"),
    )
    method = forms.CharField(
        label="Method",
        widget=forms.Textarea,
        required=False,
        help_text="For computed figures: how they are worked out",
    )
    computation = forms.ChoiceField(
        label="Computed from (optional)",
        required=False,
        choices=[("", "Not yet: values are typed in")]
        + [(c.name, c.title) for c in sorted(COMPUTATIONS.values(), key=lambda c: c.title)],
        help_text="For a computed indicator: what fills its values from an import",
    )
    owner = forms.ModelChoiceField(queryset=None, required=False, label="Owner")
    profile = forms.CharField(
        required=False,
        label="Expected profile (optional)",
        help_text=(
            "For counts that are not spread evenly: the share of the year's target expected "
            "by the end of each period, in %, like 10, 30, 60, 100 for quarters. "
            "Leave empty for pro rata"
        ),
    )
    applies_from = forms.TypedChoiceField(
        required=False,
        label="Applies from",
        coerce=int,
        empty_value=None,
        help_text="Years before it are not started: nothing is overdue or judged for them",
    )
    target_kind = forms.ChoiceField(
        label="Kind of target",
        choices=[(k.value, k.label) for k in TargetKind],
        widget=forms.RadioSelect,
        error_messages=_required("Select the kind of target"),
    )
    value = forms.CharField(required=False, label="Number to reach")
    rate_percent = forms.CharField(required=False, label="Rate (%)", help_text="Like 5")
    baseline_period = forms.CharField(
        required=False, label="Baseline year", help_text="Like 2020/21"
    )
    baseline_value = forms.CharField(
        required=False, label="Baseline figure", help_text="Leave empty until it is known"
    )
    target_percent = forms.CharField(required=False, label="Target share (%)")
    # Used by "between" for counts and shares as well as by ratio bands: the words fit all.
    lower = forms.CharField(
        required=False, label="Lowest acceptable figure", help_text="Like 0.8 for a ratio"
    )
    upper = forms.CharField(
        required=False, label="Highest acceptable figure", help_text="Like 1.2 for a ratio"
    )
    benchmark_period = forms.CharField(required=False, label="Benchmark year")
    benchmark_value = forms.CharField(required=False, label="Benchmark figure")
    measure = forms.ChoiceField(
        required=False, choices=[("", "–"), ("share", "A share"), ("value", "A value")]
    )
    comparison = forms.ChoiceField(
        required=False,
        label="Comparison",
        choices=[("", "–")]
        + [
            (c.value, c.label)
            for c in (
                Comparison.AT_LEAST,
                Comparison.MORE_THAN,
                Comparison.AT_MOST,
                Comparison.LESS_THAN,
                Comparison.BETWEEN,
            )
        ],
        help_text="At least if left empty. Between: give the lowest and highest figures",
    )
    change = forms.CharField(
        required=False,
        label="Increase on the baseline",
        help_text="Instead of a rate: like 5000 for 5,000 more than the baseline",
    )
    start_year = forms.CharField(
        required=False,
        label="Starts in (optional)",
        help_text="Like 2024/25. Years before it are not started and not judged",
    )
    due_year = forms.CharField(
        required=False,
        label="Due by (optional)",
        help_text=(
            "Like 2025/26. Years before it are judged against a straight line from the baseline"
        ),
    )
    due_until = forms.CharField(
        required=False,
        label="Due window ends (optional)",
        help_text="For a window like 2028/29 to 2032/33: the last year, like 2032/33",
    )
    cumulative = forms.BooleanField(
        required=False, label="Counted in all across the years from the start"
    )
    accumulation = forms.ChoiceField(
        required=False,
        label="How the periods' figures make the year's",
        choices=[("", "The usual for the kind")] + [(a.value, a.label) for a in Accumulation],
    )
    due = forms.CharField(required=False, label="Due date", help_text="Like 2024-03-31")
    recurs = forms.BooleanField(required=False, label="Due again every year")
    level = forms.CharField(required=False, label="Level to maintain")
    maintain_description = forms.CharField(
        required=False, label="What is to be maintained or delivered"
    )
    direction = forms.ChoiceField(
        required=False,
        choices=[
            ("", "–"),
            ("increase", "Increase"),
            ("decrease", "Decrease"),
            ("maintain", "Maintain"),
            ("deliver", "Deliver"),
        ],
    )
    parts = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label="Parts",
        help_text=(
            "One per line. Several counts: key | label | number. "
            "Ratios: key | label | group A | group B. "
            "Benchmark parts (optional): key | label | benchmark figure"
        ),
    )

    def __init__(self, *args, charter: Charter, owners, kind: TargetKind, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.charter, self.editing, self.kind = charter, editing, kind
        # Only the chosen kind's parameters: the others are not asked for, nor read.
        for name in ALL_TARGET_FIELDS:
            if name not in TARGET_FIELDS[kind]:
                del self.fields[name]
        self.fields["target_kind"].widget = forms.HiddenInput()
        self.initial["target_kind"] = kind.value
        self.kind_fields = [n for n in TARGET_FIELDS[kind] if n not in (*YEAR_FIELDS, *LATER)]
        self.year_fields = [n for n in TARGET_FIELDS[kind] if n in (*YEAR_FIELDS, *LATER)]
        self.fields["pledge"].queryset = Pledge.objects.filter(theme__charter=charter)
        self.fields["owner"].queryset = owners
        years = [p.year for p in charter.periods.all()]
        first = (
            f"The charter's first year ({years[0].label})" if years else "The charter's first year"
        )
        self.fields["applies_from"].choices = [("", first)] + [
            (y.start_year, y.label) for y in years[1:]
        ]

    @staticmethod
    def initial_applies_from(charter: Charter, today) -> int | None:
        """A new indicator on a running charter applies from the year containing today."""
        current = FinancialYear.containing(today)
        years = [p.year for p in charter.periods.all()]
        if current in years and current != min(years):
            return current.start_year
        return None

    @staticmethod
    def initial_for(indicator, kind: TargetKind | None = None) -> dict:
        same_kind = kind is None or indicator.target_kind == kind
        params = (
            {FIELD_NAMES.get(k, k): v for k, v in indicator.target_params.items()}
            if same_kind
            else {}
        )
        if "parts" in params:
            params["parts"] = _format_parts(indicator.target_kind, params["parts"])
        return {
            "code": indicator.code,
            "title": indicator.title,
            "description": indicator.description,
            "pledge": indicator.pledge_id,
            "unit": indicator.unit,
            "frequency": indicator.frequency,
            "source": indicator.source,
            "method": indicator.method,
            "computation": indicator.computation,
            "owner": indicator.owner_id,
            "applies_from": indicator.applies_from,
            "profile": ", ".join(format_number(Decimal(str(f)) * 100) for f in indicator.profile),
            "target_kind": kind.value if kind is not None else indicator.target_kind,
            **params,
        }

    def clean_profile(self) -> list[str]:
        """The percentages as typed; `clean` checks them against the frequency."""
        text = self.cleaned_data["profile"].strip()
        return [p.strip() for p in text.split(",") if p.strip()]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code.lower() in RESERVED_INDICATOR_CODES:
            raise forms.ValidationError(
                f"Code cannot be {code}: that word is part of the web address"
            )
        clash = self.charter.indicators.filter(code__iexact=code)
        if self.editing is not None:
            clash = clash.exclude(pk=self.editing.pk)
        if clash.exists():
            raise forms.ValidationError("This charter already has an indicator with this code")
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("computation") and cleaned.get("source") != DataSource.COMPUTED:
            self.add_error("computation", "Only a computed indicator is computed from an import")
        profile, frequency = cleaned.get("profile"), cleaned.get("frequency")
        if profile and frequency:
            periods = len(FinancialYear(2000).periods(frequency))
            try:
                cleaned["profile"] = list(bounds.read_profile(profile, periods=periods))
            except ValueError as error:
                self.add_error("profile", str(error))
        kind = self.kind
        params: dict = {}
        for name in TARGET_FIELDS[kind]:
            raw = cleaned.get(name)
            if name == "parts":
                parts = _parse_parts(kind, raw or "")
                if parts or kind is not TargetKind.INCREASE_ON_BENCHMARK:
                    params["parts"] = parts
            elif name in ("recurs", "cumulative"):
                if raw:
                    params[name] = True
            elif raw not in (None, ""):
                params[PARAM_NAMES.get(name, name)] = raw.strip() if isinstance(raw, str) else raw
        if kind in (TargetKind.COUNT, TargetKind.SHARE) and "due_year" not in params:
            # A count's or share's baseline is where its trajectory starts: only with a due year.
            params.pop("baseline_period", None)
            params.pop("baseline_value", None)
        editing = self.editing
        # A trajectory is set in the charter file; the form keeps it.
        if (
            editing is not None
            and editing.target_kind == kind
            and "trajectory" in editing.target_params
            and "due_year" in params
        ):
            params["trajectory"] = editing.target_params["trajectory"]
        try:
            target = parse_target(kind, params)
        except TargetError as error:
            for field, message in error.problems:
                name = field.split("[")[0].split(".")[0]
                name = FIELD_NAMES.get(name, name)
                self.add_error(name if name in self.fields else None, message)
            return cleaned
        if editing is not None and (refusal := target_change_refusal(editing, target)):
            self.add_error(None, refusal)
            return cleaned
        cleaned["target"] = target
        return cleaned
