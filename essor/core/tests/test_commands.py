"""The one command style (essor.core.commands): subcommands, a dry run that writes nothing, bad-input errors that
name the file, the line and the field."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from essor.core.commands import SingleCommand, Subcommand, SubcommandsCommand, input_error


def create_group(command, *, name, **options):
    Group.objects.create(name=name)
    command.stdout.write(f"1 group written: {name}")


def refuse_bad_input(command, **options):
    raise input_error("not a date", file="sheet.csv", line=12, field="starts_at")


def name_option(parser):
    parser.add_argument("name")


class GroupsCommand(SubcommandsCommand):
    help = "Test command."
    subcommands = {
        "create": Subcommand("Create a group.", create_group, add_arguments=name_option, writes=True),
        "fail": Subcommand("Fail on a bad input.", refuse_bad_input),
    }


class CreateGroupCommand(SingleCommand):
    action = Subcommand("Create a group.", create_group, add_arguments=name_option, writes=True)


def run(*args) -> str:
    out = StringIO()
    call_command(GroupsCommand(), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_reports_what_it_would_write_then_writes_nothing():
    output = run("create", "editors", "--dry-run")
    assert "1 group written: editors" in output and "Dry run: nothing was written." in output
    assert not Group.objects.filter(name="editors").exists()
    assert "Dry run" not in run("create", "editors")
    assert Group.objects.filter(name="editors").exists()


def test_a_bad_input_names_file_line_and_field():
    with pytest.raises(CommandError, match=r"^sheet\.csv:12: field starts_at: not a date$"):
        run("fail")
    assert str(input_error("empty file", file="a.csv")) == "a.csv: empty file"


def test_an_unknown_subcommand_is_refused():
    with pytest.raises(CommandError, match="invalid choice: 'nope'"):
        run("nope")


@pytest.mark.django_db
def test_a_command_without_subcommands_has_the_same_dry_run_and_help():
    out = StringIO()
    call_command(CreateGroupCommand(), "editors", "--dry-run", stdout=out)
    assert "1 group written: editors" in out.getvalue() and "Dry run: nothing was written." in out.getvalue()
    assert not Group.objects.exists()
    assert "Create a group." in CreateGroupCommand().create_parser("essor", "groups").format_help()
