"""`socialvalue charter validate|load` keep the reading budget before reading a file."""

from pathlib import Path


def test_the_cli_refuses_a_file_over_the_size_limit_without_reading_it(
    run_command, tmp_path, monkeypatch
):
    path = tmp_path / "huge.yaml"
    # A sparse file: 2 GB on paper, nothing on disk. Reading it would take the memory.
    with path.open("wb") as handle:
        handle.truncate(2_000_000_000)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_text", no_reading)
    code, out, err = run_command("charter", "validate", str(path))
    assert code == 1
    assert out == ""
    assert err.strip() == (
        f"{path}:1: (file): The file is 2,000,000,000 bytes: a charter file must be at most "
        "1,000,000 bytes"
    )
