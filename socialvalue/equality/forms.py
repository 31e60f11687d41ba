"""Forms: upload an equality, outpatient or carbon file; the organisation's settings."""

from decimal import Decimal

from django import forms

from socialvalue.equality.models import EqualitySettings
from socialvalue.imports.forms import SpendUploadForm

UPLOAD_LABELS = {
    "recruitment": "Recruitment files (WRES indicator 2, WDES metric 2)",
    "staff-survey": "Staff survey results by group",
    "workforce": "Workforce profile by pay band and group",
    "outpatients": "Outpatient activity by consultation medium",
    "factors": "DESNZ greenhouse gas conversion factors flat file (XLSX)",
    "paper": "Paper bought",
}


class EqualityUploadForm(SpendUploadForm):
    """The spend upload's checks (count, size, names, first bytes) with the kind's words."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].label = UPLOAD_LABELS[kind]
        self.fields["files"].help_text = self.fields["files"].help_text.replace(
            ", XLSX or XLS", " or XLSX"
        )
        self.fields["files"].error_messages["required"] = "Choose the files to upload"

    def clean_files(self):
        uploads = super().clean_files()
        for upload in uploads:
            if upload.name.lower().endswith(".xls"):
                raise forms.ValidationError(f"{upload.name}: save it as .xlsx and upload that")
        return uploads


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).normalize()


class SettingsForm(forms.ModelForm):
    """The shares are entered as percentages (88 for 88%) and kept as fractions."""

    car_percent = forms.DecimalField(
        label="Share of journeys by car (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    bus_percent = forms.DecimalField(
        label="Share of journeys by bus (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    rail_percent = forms.DecimalField(
        label="Share of journeys by train (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )

    class Meta:
        model = EqualitySettings
        fields = [
            "round_trip_km",
            "travel_source",
            "senior_bands",
            "unstable_below",
            "suppress_below",
            "paper_recycled",
        ]
        labels = {
            "round_trip_km": "Round-trip distance per outpatient appointment (km)",
            "travel_source": "Where the distance and shares come from",
            "senior_bands": "Pay bands counted as senior roles",
            "unstable_below": "Recruitment counts below this are flagged as unstable",
            "suppress_below": "Staff survey groups with fewer respondents are not shown",
            "paper_recycled": "Our paper is recycled (use the closed-loop factor)",
        }
        help_texts = {
            "round_trip_km": "No national figure is set: state your own (for example 48)",
            "senior_bands": "Separated by commas, for example 8c,8d,9,VSM",
            "unstable_below": "10 unless you choose otherwise",
            "suppress_below": "11 unless you choose otherwise",
        }
        widgets = {"travel_source": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for mode in ("car", "bus", "rail"):
            self.initial.setdefault(
                f"{mode}_percent", _percent(getattr(self.instance, f"{mode}_share"))
            )

    def clean_senior_bands(self):
        from socialvalue.domain.workforce import band_key

        bands = [b.strip() for b in self.cleaned_data["senior_bands"].split(",") if b.strip()]
        if not bands:
            raise forms.ValidationError("Enter at least one pay band, for example 8c")
        unknown = [b for b in bands if not band_key(b)]
        if unknown:
            raise forms.ValidationError(f"'{unknown[0]}' is not a pay band")
        return ",".join(bands)

    def clean(self):
        cleaned = super().clean()
        shares = [cleaned.get(f"{m}_percent") for m in ("car", "bus", "rail")]
        if sum(s for s in shares if s is not None) > 100:
            self.add_error("car_percent", "The shares of journeys add up to more than 100%")
        return cleaned

    def save(self, commit=True):
        for mode in ("car", "bus", "rail"):
            percent = self.cleaned_data.get(f"{mode}_percent")
            setattr(self.instance, f"{mode}_share", None if percent is None else percent / 100)
        return super().save(commit)
