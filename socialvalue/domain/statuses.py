"""The statuses an indicator can have, and the states of a milestone.

What each status means, and its colour, is in docs/status.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

__all__ = ["SELF_ASSESSED", "MilestoneState", "Status", "worst"]


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    NOT_YET_DUE = "not_yet_due"
    NO_DATA = "no_data"
    DONE_LATE = "done_late"
    # A year before a time-bound target starts: not judged.
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def colour(self) -> str:
        """The NHS tag modifier (nhsuk-tag--green …)."""
        return _COLOURS[self]

    @property
    def severity(self) -> int:
        """Higher is worse; used to pick an indicator's worst part."""
        return _SEVERITY.index(self)


_COLOURS = {
    Status.ACHIEVED: "green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "orange",
    Status.OFF_TRACK: "red",
    Status.MISSED: "red",
    Status.NOT_YET_DUE: "grey",
    Status.NO_DATA: "white",
    # Delivered, but not when promised: never the green of achieved.
    Status.DONE_LATE: "yellow",
    Status.NOT_STARTED: "grey",
}
# An unknown is worse than a known risk but better than a known failure.
_SEVERITY = (
    Status.NOT_STARTED,
    Status.ACHIEVED,
    Status.NOT_YET_DUE,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.DONE_LATE,
    Status.NO_DATA,
    Status.OFF_TRACK,
    Status.MISSED,
)
# What an owner may say of their own commitment (the engine works out the rest).
SELF_ASSESSED = (Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)


def worst(statuses: Sequence[Status]) -> Status:
    """The most severe status; NO_DATA for an empty list."""
    return max(statuses, key=lambda status: status.severity, default=Status.NO_DATA)


class MilestoneState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
