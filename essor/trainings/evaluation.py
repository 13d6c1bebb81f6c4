"""Post-session evaluation: who may answer (see permissions.evaluation_refusal) and how answers are stored."""

from statistics import mean

from django.db import IntegrityError, transaction

from essor.trainings.models import Evaluation
from essor.trainings.permissions import evaluation_refusal
from essor.trainings.registration import RegistrationRefused


def save_evaluation(user, registration, *, satisfaction, usefulness, knowledge, answers, comments, now=None):
    """Store an evaluation. `knowledge` is [{"objective", "before", "after"}]; means are kept for reports."""
    refusal = evaluation_refusal(user, registration, now)
    if refusal:
        raise RegistrationRefused(refusal)
    befores = [item["before"] for item in knowledge if item.get("before")]
    afters = [item["after"] for item in knowledge if item.get("after")]
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                registration=registration,
                session=registration.session,
                satisfaction=satisfaction,
                usefulness=usefulness,
                knowledge=knowledge,
                knowledge_before=round(mean(befores), 2) if befores else None,
                knowledge_after=round(mean(afters), 2) if afters else None,
                answers=answers,
                comments=comments,
            )
    except IntegrityError as exc:  # a second submission racing the first
        from django.utils.translation import gettext as _

        raise RegistrationRefused(_("You have already evaluated this session. Thank you!")) from exc
