"""Docs stay true to the code (datasette's habit): settings, commands and target kinds."""

import re
from pathlib import Path

from django.core.management import get_commands

from socialvalue.domain.targets import TargetKind

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented():
    sources = [
        ROOT / "socialvalue/config/settings.py",
        ROOT / ".ci/run",
        ROOT / "tests/browser/conftest.py",
        ROOT / "tests/conftest.py",
        *ROOT.glob("scripts/*"),
    ]
    names = set()
    for path in sources:
        text = path.read_text()
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', text))
        names |= set(re.findall(r'environ\.get\(\s*"((?:SOCIALVALUE|TEST)_[A-Z_]+)"', text))
        names |= set(re.findall(r"\$\{?([A-Z][A-Z_]+)(?::-[^}]*)?\}?", text)) & {
            n
            for n in re.findall(r"[A-Z][A-Z_]{3,}", text)
            if n.startswith(("SOCIALVALUE", "TEST_"))
        }
    documented = set(re.findall(r"^\| `([A-Z_]+)`", (ROOT / "docs/settings.md").read_text(), re.M))
    assert {"SOCIALVALUE_DEBUG", "DATABASE_URL", "SOCIALVALUE_EVIDENCE_MAX_MB"} <= names
    assert names - documented == set()


def test_every_project_command_is_documented():
    ours = {name for name, app in get_commands().items() if app.startswith("socialvalue")}
    documented = set(re.findall(r"`socialvalue (\w+)", (ROOT / "docs/cli.md").read_text()))
    assert ours == {"charter", "status", "demo", "values", "org", "user", "remind", "import"}
    assert ours <= documented


def test_every_target_kind_is_documented():
    for doc in ("docs/targets.md", "docs/charter-files.md"):
        text = (ROOT / doc).read_text()
        missing = [
            k.value
            for k in TargetKind
            if f"`{k.value}`" not in text and f"kind: {k.value}" not in text
        ]
        assert missing == [], doc


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert "scripts/start" in readme and "scripts/test" in readme
    assert ci.strip().splitlines()[-1] == "scripts/test"


def test_every_status_is_documented_with_its_rules():
    from socialvalue.domain.status import Status

    text = (ROOT / "docs/status.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([a-z-]+) \|", text, re.M))
    assert rows == {s.value: s.colour for s in Status}
    assert len(re.findall(r"^### \d+\. ", text, re.M)) == 13
    for doc in ("README.md", "docs/targets.md"):
        assert "status.md" in (ROOT / doc).read_text(), doc


def test_every_decision_record_is_in_the_index():
    index = (ROOT / "docs/adr/README.md").read_text()
    listed = set(re.findall(r"\]\((\d{3}-[a-z0-9-]+\.md)\)", index))
    files = {p.name for p in (ROOT / "docs/adr").glob("[0-9][0-9][0-9]-*.md")}
    assert listed == files
