"""Read-only summaries of questionnaires and campaigns (for `essor surveys list` and the staff pages)."""

from django.db.models import Count, Q

from essor.surveys.models import Campaign, InvitationStatus, Questionnaire


def catalogue() -> dict:
    questionnaires = [
        {
            "slug": q.slug,
            "title": q.title_fr,
            "title_en": q.title_en,
            "is_demo": q.is_demo,
            "versions": [
                {"number": v.number, "frozen": v.is_frozen, "questions": len(v.parsed.questions())}
                for v in q.versions.order_by("number")
            ],
        }
        for q in Questionnaire.objects.prefetch_related("versions")
    ]
    campaigns = [
        {
            "slug": c.slug,
            "title": c.title_fr,
            "state": c.state(),
            "opens_at": c.opens_at.isoformat(),
            "closes_at": c.closes_at.isoformat(),
            "questionnaire": c.version.questionnaire.slug,
            "version": c.version.number,
            "invited": c.invited,
            "submitted": c.submitted,
            "is_demo": c.is_demo,
        }
        for c in Campaign.objects.select_related("version__questionnaire").annotate(
            invited=Count("invitations"),
            submitted=Count("invitations", filter=Q(invitations__status=InvitationStatus.SUBMITTED)),
        )
    ]
    return {"questionnaires": questionnaires, "campaigns": campaigns}
