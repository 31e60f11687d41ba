"""What each role in an organisation may do, in the words the People pages use."""

from socialvalue.organisations.models import Role

ROLE_DESCRIPTIONS = [
    (Role.ADMINISTRATOR, "Everything a lead can do, and manages who belongs and their roles."),
    (
        Role.LEAD,
        "Creates and edits charters, records any value, and approves or returns values "
        "someone else recorded.",
    ),
    (Role.CONTRIBUTOR, "Records values for the indicators they own."),
    (Role.VIEWER, "Reads charters and progress."),
]
