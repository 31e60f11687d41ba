"""The scoping lint: a view may only reach an organisation's data through a scoped queryset.

Every `<Model>.objects.<method>` in a views module must start with one of the scoping
methods (`for_user`, or `for_charter` on a charter the view already fetched through
`get_charter`). A new view that writes `Charter.objects.get(...)` fails this test.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "socialvalue"
SCOPED = {
    "Charter",
    "Theme",
    "Pledge",
    "Indicator",
    "Measurement",
    "Evidence",
    "Review",
    "Organisation",
    "Membership",
    "User",
    "Import",
    "ImportFile",
    "SpendGroup",
    "ExpenseTypeTotal",
    "LedgerLayout",
    "Supplier",
    "LocalArea",
    # socialvalue/equality (ADR 024)
    "EqualitySettings",
    "EqualitySettingChange",
    "RecruitmentCount",
    "SurveyResult",
    "StaffCount",
    "OutpatientCount",
    "PaperPurchase",
    "FactorSet",
}
ALLOWED = {"for_user", "for_charter", "none"}


def unscoped_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in SCOPED
            and node.attr not in ALLOWED
        ):
            found.append(f"line {node.lineno}: {node.value.value.id}.objects.{node.attr}")
    return found


# socialvalue/web.py holds the helpers views share (get_charter reads charters), so it is
# checked like a views module.
VIEW_MODULES = sorted(
    set(PACKAGE.glob("**/views.py")) | set(PACKAGE.glob("**/*_views.py")) | {PACKAGE / "web.py"}
)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_views_only_read_scoped_querysets(path):
    assert unscoped_calls(path.read_text()) == []


def test_the_lint_catches_an_unscoped_read():
    source = "def view(request, code):\n    return Charter.objects.get(code=code)\n"
    assert unscoped_calls(source) == ["line 2: Charter.objects.get"]


def test_there_are_views_to_check():
    assert {p.parent.name for p in VIEW_MODULES} >= {"charters", "measurements"}
    assert PACKAGE / "web.py" in VIEW_MODULES
