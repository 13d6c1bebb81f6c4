"""Pages of the programme team (and, for aggregates, CRESS operators): campaigns, invitations, analysis, exports,
questionnaires. Rules are in permissions.py; the work in invitations.py, analysis.py, exports.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.surveys import analysis, charts, exports, invitations, permissions
from essor.surveys.answering import invitation_path, receipt_lines
from essor.surveys.definition import DefinitionError
from essor.surveys.forms import PageForm
from essor.surveys.models import Campaign, Invitation, InvitationStatus, Questionnaire, QuestionnaireVersion
from essor.surveys.notifications import send_reminders
from essor.surveys.questionnaires import export_xlsform, import_xlsform


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _private(response):
    add_never_cache_headers(response)
    return response


@login_required
def campaign_list(request):
    _require(permissions.can_view_analysis(request.user))
    region = permissions.analysis_region(request.user)
    campaigns = Campaign.objects.select_related("version__questionnaire").annotate(
        invited=Count("invitations", filter=Q(invitations__region_code=region) if region else Q()),
        submitted=Count(
            "invitations",
            filter=Q(invitations__status=InvitationStatus.SUBMITTED)
            & (Q(invitations__region_code=region) if region else Q()),
        ),
    )
    context = {
        "campaigns": campaigns,
        "region": region,
        "can_manage": permissions.can_manage_surveys(request.user),
        "questionnaires": Questionnaire.objects.prefetch_related("versions"),
    }
    return _private(render(request, "surveys/staff_campaigns.html", context))


class InviteForm(forms.Form):
    natures = forms.MultipleChoiceField(
        label=gettext_lazy("EPCI nature"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Régions"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    min_population = forms.IntegerField(
        label=gettext_lazy("Population at least"), required=False, min_value=0
    )
    max_population = forms.IntegerField(label=gettext_lazy("Population at most"), required=False, min_value=0)
    sirens = forms.CharField(
        label=gettext_lazy("List of SIREN (one per line, optionally followed by the contact email)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For instance: 243100518 contact@example.org"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the emails"), choices=[("fr", "Français"), ("en", "English")]
    )

    def __init__(self, *args, **kwargs):
        from essor.territories.models import EpciNature, Region

        super().__init__(*args, **kwargs)
        self.fields["natures"].choices = EpciNature.choices
        self.fields["regions"].choices = [(r.code, r.name) for r in Region.objects.order_by("name")]

    def clean(self):
        data = super().clean()
        sirens, emails, bad = invitations.parse_siren_lines(data.get("sirens") or "")
        if bad:
            self.add_error(
                "sirens", _("These lines are not “SIREN [email]”: %(lines)s") % {"lines": "; ".join(bad[:5])}
            )
        if not (
            sirens
            or data.get("natures")
            or data.get("regions")
            or data.get("min_population")
            or data.get("max_population")
        ):
            raise forms.ValidationError(
                _("Choose at least one criterion (nature, région, population or SIREN).")
            )
        data["target"] = invitations.Target(
            natures=data.get("natures") or [],
            regions=data.get("regions") or [],
            min_population=data.get("min_population"),
            max_population=data.get("max_population"),
            sirens=sirens,
        )
        data["emails"] = emails
        return data


@login_required
def campaign_detail(request, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("version__questionnaire"), slug=slug)
    _require(permissions.can_view_analysis(request.user))
    region = permissions.analysis_region(request.user)
    can_manage = permissions.can_manage_surveys(request.user)
    form = InviteForm()
    if request.method == "POST":
        _require(can_manage)
        form = InviteForm(request.POST)
        if form.is_valid():
            outcome = invitations.invite(
                campaign,
                form.cleaned_data["target"],
                emails=form.cleaned_data["emails"],
                language=form.cleaned_data["language"],
            )
            created = len(outcome.created)
            # One count per phrase: French agrees each noun with its own number ("1 courriel", "2 courriels").
            parts = {
                "invited": ngettext("%(n)s authority invited", "%(n)s authorities invited", created)
                % {"n": created},
                "emailed": ngettext("%(n)s email queued", "%(n)s emails queued", outcome.emailed)
                % {"n": outcome.emailed},
                "existing": ngettext(
                    "%(n)s was already invited", "%(n)s were already invited", outcome.existing
                )
                % {"n": outcome.existing},
            }
            messages.success(request, _("%(invited)s (%(emailed)s); %(existing)s.") % parts)
            if outcome.unknown_sirens:
                messages.warning(
                    request, _("Unknown SIREN: %(codes)s") % {"codes": ", ".join(outcome.unknown_sirens)}
                )
            return redirect("surveys:campaign", slug=slug)
    invited = analysis.invitations_of(campaign, region).select_related("response").order_by("authority_name")
    context = {
        "campaign": campaign,
        "region": region,
        "can_manage": can_manage,
        "form": form,
        "counts": analysis.status_counts(campaign, region),
        "invitations": invited if can_manage else None,
        "total": invited.count(),
    }
    return _private(render(request, "surveys/staff_campaign.html", context))


@login_required
@require_POST
def campaign_remind(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    _require(permissions.can_manage_surveys(request.user))
    count = send_reminders(campaign, min_days_between=int(request.POST.get("days", 7) or 7))
    messages.success(
        request,
        ngettext("%(count)s reminder email queued.", "%(count)s reminder emails queued.", count)
        % {"count": count},
    )
    return redirect("surveys:campaign", slug=slug)


@login_required
def invitation_link(request, slug, pk):
    """The programme team copies an authority's link (to send it by other means)."""
    invitation = get_object_or_404(Invitation.objects.select_related("campaign"), pk=pk, campaign__slug=slug)
    _require(permissions.can_manage_surveys(request.user))
    return redirect(invitation_path(invitation))


@login_required
def response_detail(request, slug, pk):
    invitation = get_object_or_404(
        Invitation.objects.select_related("campaign__version"), pk=pk, campaign__slug=slug
    )
    _require(permissions.can_view_response(request.user, invitation))
    response = getattr(invitation, "response", None)
    lines = receipt_lines(response, get_language()) if response else []
    contributions = response.contributions.all() if response else []
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "response": response,
        "lines": lines,
        "contributions": contributions,
        "can_manage": permissions.can_manage_surveys(request.user),
    }
    return _private(render(request, "surveys/staff_response.html", context))


@login_required
def my_responses(request):
    """A signed-in member of a local authority finds the surveys of their authority (and only theirs)."""
    territory = permissions.authority_territory(request.user)
    mine = (
        Invitation.objects.filter(territory=territory).select_related("campaign", "response")
        if territory
        else []
    )
    return _private(
        render(request, "surveys/my_responses.html", {"invitations": mine, "territory": territory})
    )


@login_required
def campaign_analysis(request, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("version__questionnaire"), slug=slug)
    _require(permissions.can_view_analysis(request.user))
    region = permissions.analysis_region(request.user)
    language = get_language()
    definition = campaign.version.parsed
    records = analysis.submitted_records(campaign, region)
    with_text = permissions.can_read_free_text(request.user)
    rates = {by: analysis.response_rates(campaign, by, region) for by in ("nature", "region")}
    distributions = []
    for question in analysis.analysable(definition):
        distribution = analysis.distribution(question, records, language, with_text=with_text)
        distributions.append((distribution, charts.distribution_chart(distribution)))
    choice_questions = [q for q in analysis.analysable(definition) if q.type in analysis.CHOICE_TYPES]
    asked = request.GET.get("q") or (choice_questions[0].code if choice_questions else "")
    by = request.GET.get("by") if request.GET.get("by") in analysis.GROUPINGS else "nature"
    question = definition.question(asked)
    crosstab = analysis.crosstab(question, records, by, language) if question else None
    context = {
        "campaign": campaign,
        "region": region,
        "records": records,
        "counts": analysis.status_counts(campaign, region),
        "rates": [
            (by_key, rows, charts.rate_chart(rows) if rows else None) for by_key, rows in rates.items()
        ],
        "distributions": distributions,
        "choice_questions": choice_questions,
        "crosstab": crosstab,
        "asked": asked,
        "by": by,
        "groupings": [
            ("nature", _("EPCI nature")),
            ("region", _("Région")),
            ("population", _("Population band")),
        ],
        "with_text": with_text,
        "can_export": permissions.can_export_responses(request.user),
    }
    return _private(render(request, "surveys/staff_analysis.html", context))


EXPORTS = {"csv", "xlsx", "codebook", "opendata"}


@login_required
def campaign_export(request, slug, kind):
    campaign = get_object_or_404(Campaign.objects.select_related("version__questionnaire"), slug=slug)
    if kind not in EXPORTS:
        raise Http404
    _require(permissions.can_export_responses(request.user))
    if kind == "opendata" and not campaign.open_data:
        raise Http404(_("This campaign does not allow an open-data export."))
    decimal = "." if request.GET.get("decimal") == "point" else ","
    if kind == "codebook":
        body, ctype, name = (
            exports.to_csv(exports.codebook_table(campaign.version.parsed), decimal),
            "text/csv",
            f"{slug}-codebook.csv",
        )
    elif kind == "xlsx":
        body = exports.to_xlsx(campaign, exports.response_table(campaign))
        ctype, name = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{slug}-responses.xlsx",
        )
    else:
        table = exports.response_table(campaign, anonymised=kind == "opendata")
        body, ctype = exports.to_csv(table, decimal), "text/csv"
        name = f"{slug}-{'open-data' if kind == 'opendata' else 'responses'}.csv"
    response = HttpResponse(body, content_type=f"{ctype}; charset=utf-8" if ctype == "text/csv" else ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


class XlsformUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSForm file (.xlsx)"))


@login_required
def questionnaire_list(request):
    _require(permissions.can_manage_surveys(request.user))
    form = XlsformUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_xlsform(form.cleaned_data["file"], name=form.cleaned_data["file"].name)
        except DefinitionError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, outcome.line())
            return redirect("surveys:questionnaires")
    versions = QuestionnaireVersion.objects.select_related("questionnaire").annotate(uses=Count("campaigns"))
    return _private(
        render(request, "surveys/staff_questionnaires.html", {"form": form, "versions": versions})
    )


def _version(slug, number):
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), questionnaire__slug=slug, number=number
    )


@login_required
def questionnaire_preview(request, slug, number):
    _require(permissions.can_manage_surveys(request.user))
    version = _version(slug, number)
    language = get_language()
    pages = []
    for section in version.parsed.sections:
        form = PageForm(section, section.questions, language, prefix=section.code)
        from essor.surveys.views_respond import _items

        pages.append((section, _items(form, section.questions, {}, language)))
    return _private(render(request, "surveys/staff_preview.html", {"version": version, "pages": pages}))


@login_required
def questionnaire_xlsform(request, slug, number):
    _require(permissions.can_manage_surveys(request.user))
    version = _version(slug, number)
    response = HttpResponse(
        export_xlsform(version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{number}.xlsx"'
    return response
