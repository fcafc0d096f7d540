"""Docs and code check each other: every registered data set and CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldorder.data.registry import registry

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_set_is_on_the_data_page():
    page = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    missing = [name for name in registry() if f"`{name}`" not in page]
    assert not missing, f"docs/data.md does not name {missing}"


def test_every_command_group_is_in_the_readme():
    from worldorder.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [group.name for group in app.registered_groups if group.name]
    names += [command.name for group in app.registered_groups for command in group.typer_instance.registered_commands if not group.name]
    missing = [name for name in names if f"worldorder {name}" not in readme]
    assert not missing, f"README.md never shows `worldorder {missing[0]}`"


PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]


def _python_blocks(page: str) -> list[str]:
    import re

    return re.findall(r"```python\n(.*?)```", (ROOT / page).read_text(encoding="utf-8"), re.S)


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if _python_blocks(p)])
def test_every_python_example_runs(page, store, monkeypatch, tmp_path):
    """The Python blocks of a page run in order, on the real data, in a folder that has the
    repository's ``examples/`` (and receives what they write); a block written as an
    interactive session (``>>>``) must also print what it shows."""
    import doctest

    import matplotlib

    matplotlib.use("Agg")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, block in enumerate(_python_blocks(page)):
        if block.lstrip().startswith(">>>"):
            test = doctest.DocTestParser().get_doctest(block, namespace, f"{page} block {number}", page, 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            runner.run(test, clear_globs=False)
            assert runner.failures == 0, f"{page} block {number} printed something else than it shows"
        else:
            exec(compile(block, f"{page} block {number}", "exec"), namespace)


def _console_examples() -> list[tuple[str, str, list[str]]]:
    """(page, command, the lines shown after it) for each ``$ worldorder ...`` in a console block."""
    import re

    examples = []
    for page in PAGES:
        for block in re.findall(r"```console\n(.*?)```", (ROOT / page).read_text(encoding="utf-8"), re.S):
            for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
                command, *shown = chunk.splitlines()
                if command.startswith("worldorder ") and " serve" not in command:
                    examples.append((page, command, shown))
    return examples


def _shown_line_pattern(line: str):
    """A shown line as a pattern: ``...`` stands for anything (a cut line or digits left out)."""
    import re

    return re.compile(".*".join(re.escape(part) for part in line.rstrip().split("...")))


@pytest.mark.slow
@pytest.mark.parametrize(("page", "command", "shown"), _console_examples(), ids=lambda value: value if isinstance(value, str) else "")
def test_every_command_example_prints_what_the_docs_show(page, command, shown, store, monkeypatch, tmp_path):
    """Each documented command runs (in a folder with the repository's ``examples/``) and prints
    every line the docs show after it, in any order."""
    import shlex

    from typer.testing import CliRunner

    from worldorder.cli import app

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, f"{page}: `{command}` failed:\n{result.output}"
    printed = [line.rstrip() for line in result.output.splitlines()]
    for line in shown:
        if line.strip() in ("", "..."):
            continue
        pattern = _shown_line_pattern(line)
        assert any(pattern.fullmatch(out) for out in printed), f"{page}: `{command}` no longer prints\n{line}\n--- it printed:\n{result.output[:2000]}"


def _shell_commands() -> list[tuple[str, str]]:
    """(page, command) for each ``worldorder ...`` line of a bash block, but for the web server,
    installs (the Quickstart's own job is the report, run here as the other report lines) and a
    scheduler address that stands for the reader's own cluster."""
    import re

    commands = []
    for page in PAGES:
        for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", (ROOT / page).read_text(encoding="utf-8"), re.S):
            for line in block.splitlines():
                line = line.strip()
                if line.startswith("worldorder ") and not any(word in line for word in (" serve", "tcp://")):
                    commands.append((page, line))
    return commands


@pytest.mark.slow
@pytest.mark.parametrize(("page", "command"), _shell_commands(), ids=lambda value: value)
def test_every_documented_command_runs(page, command, store, monkeypatch, tmp_path):
    """Each command the docs give runs to success, in a folder with the repository's ``examples/``."""
    import shlex

    from typer.testing import CliRunner

    from worldorder.cli import app

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    words = shlex.split(command, comments=True)[1:]
    if ">" in words:  # a shell redirect: the output goes to the runner instead
        words = words[: words.index(">")]
    result = CliRunner().invoke(app, words)
    assert result.exit_code == 0, f"{page}: `{command}` failed:\n{result.output}"
