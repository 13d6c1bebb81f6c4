"""The public needs board (validated needs only, nothing personal), its contact form, and the team's review."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.surveys import needs as needs_module
from essor.surveys import permissions
from essor.surveys.models import Need, NeedMessage, NeedStatus
from essor.surveys.notifications import forward_need_message

SCHOOL_LABELS = {"inet": "INET", "ira": "IRA", "master": "Master", "sciences_po": "Sciences Po"}


def _theme_choices(language):
    from essor.surveys.questionnaires import programme_choice_labels

    return programme_choice_labels("themes", language)


def board(request):
    from django.utils.translation import get_language

    from essor.territories.models import Region

    theme = request.GET.get("theme", "")
    school = request.GET.get("school", "")
    region = request.GET.get("region", "")
    themes = _theme_choices(get_language())
    items = needs_module.board(theme=theme, school=school, region=region)
    context = {
        "needs": items,
        "themes": themes,
        "theme_labels": dict(themes),
        "schools": list(SCHOOL_LABELS.items()),
        "regions": Region.objects.filter(
            code__in=Need.objects.public().values("invitation__region_code")
        ).order_by("name"),
        "theme": theme,
        "school": school,
        "region": region,
        "can_review": permissions.can_review_needs(request.user),
    }
    return render(request, "surveys/needs_board.html", context)


class NeedMessageForm(forms.ModelForm):
    class Meta:
        model = NeedMessage
        fields = ["name", "email", "school", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}


def need_detail(request, pk):
    from django.utils.translation import get_language

    need = get_object_or_404(Need.objects.select_related("invitation"), pk=pk)
    if need.status != NeedStatus.VALIDATED and not permissions.can_review_needs(request.user):
        raise PermissionDenied
    form = NeedMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            message = form.save(commit=False)
            message.need = need
            message.save()
            message_id = message.pk
            transaction.on_commit(lambda: forward_need_message.enqueue(message_id))
        messages.success(
            request, _("Your message has been forwarded to the authority, which will answer you by email.")
        )
        return redirect(need.get_absolute_url())
    context = {
        "need": need,
        "form": form,
        "figures": needs_module.territory_figures(need),
        "resources": needs_module.resources_for(need),
        "theme_label": dict(_theme_choices(get_language())).get(need.theme, ""),
        "school_labels": [SCHOOL_LABELS.get(s, s) for s in need.schools],
        "can_review": permissions.can_review_needs(request.user),
    }
    return render(request, "surveys/need_detail.html", context)


@login_required
def review_list(request):
    if not permissions.can_review_needs(request.user):
        raise PermissionDenied
    waiting = Need.objects.filter(status=NeedStatus.PROPOSED).select_related("invitation__campaign")
    reviewed = Need.objects.exclude(status=NeedStatus.PROPOSED).select_related("invitation")[:50]
    return render(request, "surveys/needs_review.html", {"waiting": waiting, "reviewed": reviewed})


@login_required
@require_POST
def review(request, pk):
    if not permissions.can_review_needs(request.user):
        raise PermissionDenied
    need = get_object_or_404(Need, pk=pk)
    publish = request.POST.get("decision") == "publish"
    needs_module.review(need, request.user, publish=publish)
    messages.success(
        request, _("The need is published on the board.") if publish else _("The need is declined.")
    )
    return redirect("surveys:needs_review")
