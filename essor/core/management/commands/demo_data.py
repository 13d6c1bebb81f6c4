"""`essor demo_data`: everything the demo shows beyond the territorial reference, in one idempotent step.

No --dry-run: the SIRENE and open-data steps write files (synthetic stock files, Parquet packages) besides the
database, and a rolled-back transaction would not take them back.
"""

from django.core.management import call_command

from essor.core.commands import SingleCommand, Subcommand


def load_demo(command, **options):
    # A SYNTHETIC QPV 2024 population in the layout of INSEE's file (never over a real one already loaded).
    call_command("territories", "population", "--demo")
    # Synthetic establishments (labelled as such on the site) for every département, mainland and overseas.
    call_command("sirene", "demo")
    # Real catalogue of resources and experiences, plus demonstration sessions, people and evaluations.
    call_command("hub", "demo")
    # Open data of the (synthetic) release: CSV, Parquet, datapackage.json, listed in /catalog.jsonld.
    call_command("diffusion", "demo")
    # The programme's two questionnaires, demonstration campaigns and answers, the printed invitation link.
    call_command("surveys", "demo")
    # The demonstration study: editions built from the synthetic release and the surveys' demo wave.
    call_command("study", "demo")
    # The real action sheet, the ANCT 2020–2022 convention and its committees, indicators from the demo
    # trainings and surveys (after them, so that the committees' snapshots include them).
    call_command("steering", "demo")


class Command(SingleCommand):
    action = Subcommand(
        "Load the demonstration data: a synthetic SIRENE release for all of France and the hub's demo content.",
        load_demo,
    )
