"""Every model change ships with its migration: a fresh database gets exactly the tables the code expects."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:  # makemigrations --check exits non-zero when a migration is missing
        pytest.fail(f"Missing migrations (run `essor makemigrations`):\n{output.getvalue()}", pytrace=False)
