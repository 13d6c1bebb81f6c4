"""What each app holds about a person, for the GDPR export and the deletion of an account.

accounts sits below the apps that record things about people (trainings, surveys, ...), so it cannot list them;
each registers here, from its AppConfig.ready(), how to export its part and how to erase it:

    personal_data.register("registrations", export=export_registrations, erase=erase_registrations)

`export(user)` returns JSON-ready data, placed under its key in the export; `erase(user)` runs inside the
transaction that deletes the account, before the user row goes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]


_registry: dict[str, PersonalData] = {}


def register(key: str, *, export: Callable[[Any], Any], erase: Callable[[Any], None]) -> None:
    _registry[key] = PersonalData(key=key, export=export, erase=erase)


def registered() -> list[PersonalData]:
    return list(_registry.values())
