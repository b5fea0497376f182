"""The README tells the truth: every command, option and setting is documented there."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from webmap.cli import _parser
from webmap.settings import DEFAULTS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_is_in_the_readme(command):
    assert f"`govmap {command}" in README


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_option_is_in_the_readme(command):
    options = [opt for action in _subcommands()[command]._actions for opt in action.option_strings
               if opt.startswith("--") and opt != "--help"]
    missing = [opt for opt in options if opt not in README]
    assert not missing, f"govmap {command}: options missing from README: {missing}"


@pytest.mark.parametrize("setting", sorted(DEFAULTS))
def test_every_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in README


def test_quick_start_is_two_commands():
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == ["pip install -e . && govmap serve", "bash .ci/run"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pytest" in ci and "python3 -m pytest" in section
