"""Choosing the authorities of a campaign and inviting them (one invitation per authority, a signed link each).

Authorities are EPCI chosen by nature, région, population, or a list of SIREN. An EPCI's région is the one of the
département holding most of its communes (as on its territory page). The authority's facts are copied onto the
invitation, so analyses by nature, région and population band stay as they were when the wave ran.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from essor.surveys.models import Campaign, Invitation

SIREN = re.compile(r"^\d{9}$")


@dataclass
class Target:
    natures: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    min_population: int | None = None
    max_population: int | None = None
    sirens: list[str] = field(default_factory=list)


@dataclass
class InviteOutcome:
    created: list[Invitation]
    existing: int
    unknown_sirens: list[str]
    emailed: int = 0


def epci_regions(codes=None) -> dict[str, tuple[str, str]]:
    """{EPCI SIREN: (région code, région name)} in one query over communes."""
    from essor.territories.models import Commune

    rows = Commune.objects.filter(parent__isnull=True, epci__isnull=False, departement__region__isnull=False)
    if codes is not None:
        rows = rows.filter(epci_id__in=codes)
    counts: dict[str, Counter] = defaultdict(Counter)
    names = {}
    for epci, region, name in rows.values_list(
        "epci_id", "departement__region_id", "departement__region__name"
    ):
        counts[epci][region] += 1
        names[region] = name
    result = {}
    for epci, counter in counts.items():
        region = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]
        result[epci] = (region, names[region])
    return result


def select_authorities(target: Target):
    """The EPCI matching the target (a list of SIREN, if given, is taken as it is, ANDed with other criteria)."""
    from essor.territories.models import Epci

    epcis = Epci.objects.all()
    if target.sirens:
        epcis = epcis.filter(code__in=target.sirens)
    if target.natures:
        epcis = epcis.filter(nature__in=target.natures)
    if target.min_population is not None:
        epcis = epcis.filter(population__gte=target.min_population)
    if target.max_population is not None:
        epcis = epcis.filter(population__lte=target.max_population)
    epcis = list(epcis.order_by("name"))
    if target.regions:
        regions = epci_regions([e.code for e in epcis])
        epcis = [e for e in epcis if regions.get(e.code, ("", ""))[0] in target.regions]
    return epcis


def parse_siren_lines(text: str) -> tuple[list[str], dict[str, str], list[str]]:
    """Lines of `SIREN [email]` -> (sirens, {siren: email}, bad lines)."""
    sirens, emails, bad = [], {}, []
    for line in text.splitlines():
        parts = line.replace(";", " ").replace(",", " ").split()
        if not parts:
            continue
        if not SIREN.match(parts[0]) or (len(parts) > 1 and "@" not in parts[1]) or len(parts) > 2:
            bad.append(line.strip())
            continue
        sirens.append(parts[0])
        if len(parts) == 2:
            emails[parts[0]] = parts[1].lower()
    return sirens, emails, bad


def invite(
    campaign: Campaign,
    target: Target,
    *,
    emails: dict[str, str] | None = None,
    language: str = "fr",
    send: bool = True,
    is_demo: bool = False,
) -> InviteOutcome:
    """Invite every authority of the target that is not invited yet; queue the invitation emails."""
    from essor.surveys.notifications import enqueue_invitations

    emails = emails or {}
    authorities = select_authorities(target)
    found = {e.code for e in authorities}
    unknown = [s for s in target.sirens if s not in found]
    regions = epci_regions([e.code for e in authorities])
    with transaction.atomic():
        already = set(campaign.invitations.values_list("territory", flat=True))
        created = []
        for epci in authorities:
            territory = f"epci:{epci.code}"
            if territory in already:
                continue
            region_code, region_name = regions.get(epci.code, ("", ""))
            created.append(
                Invitation.objects.create(
                    campaign=campaign,
                    territory=territory,
                    authority_name=epci.name,
                    nature=epci.nature,
                    region_code=region_code,
                    region_name=region_name,
                    population=epci.population,
                    contact_email=emails.get(epci.code, ""),
                    language=language,
                    is_demo=is_demo,
                )
            )
        emailed = enqueue_invitations(created) if send else 0
    return InviteOutcome(
        created=created, existing=len(authorities) - len(created), unknown_sirens=unknown, emailed=emailed
    )
