"""Docs and code check each other: every registered data set and CLI command is documented."""

from __future__ import annotations

from pathlib import Path

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
