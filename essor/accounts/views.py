import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from essor.accounts.forms import DeleteAccountForm, EmailAuthenticationForm, ProfileForm, SignUpForm
from essor.accounts.models import Profile
from essor.accounts.permissions import can_manage_content, is_operator
from essor.accounts.services import (
    InvalidConfirmation,
    confirm_email,
    delete_account,
    export_personal_data,
    sign_up,
)
from essor.core import ratelimit

# Every POST counts, per client address and per targeted account: 40 wrong passwords cannot be followed by a
# right one, from one address or spread over many.
LOGIN_LIMITS = (("login", ratelimit.client_key), ("login-account", ratelimit.posted("username")))
PASSWORD_RESET_LIMITS = (
    ("password-reset", ratelimit.client_key),
    ("password-reset-account", ratelimit.posted("email")),
)


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


login = ratelimit.limit_posts(*LOGIN_LIMITS)(LoginView.as_view())


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = SignUpForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        if not ratelimit.allow("signup", ratelimit.client_key(request)):
            messages.error(request, _("Too many sign-ups from your connection. Please try again later."))
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            sign_up(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
                audience=data["audience"],
                language=data["language"],
            )
            return render(request, "accounts/signup_done.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def confirm(request, token):
    try:
        confirm_email(token)
    except InvalidConfirmation:
        return render(request, "accounts/confirm_invalid.html", status=400)
    messages.success(request, _("Your email address is confirmed. You can now sign in."))
    return redirect("accounts:login")


@login_required
def dashboard(request):
    profile, _created = Profile.objects.select_related("organisation").get_or_create(user=request.user)
    registrations = request.user.registrations.select_related(
        "session__module", "session__operator", "evaluation"
    ).order_by("-session__starts_at", "-pk")
    registrations = list(registrations)
    now = timezone.now()
    return render(
        request,
        "accounts/dashboard.html",
        {
            "profile": profile,
            # Upcoming sessions soonest first; past ones most recent first.
            "upcoming": [r for r in reversed(registrations) if r.session.ends_at > now],
            "past": [r for r in registrations if r.session.ends_at <= now],
            "is_operator": is_operator(request.user),
            "is_staff_member": can_manage_content(request.user),
            "now": now,
        },
    )


@login_required
def profile_edit(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
def export(request):
    payload = json.dumps(export_personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="essor-personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("core:home")


password_reset = ratelimit.limit_posts(*PASSWORD_RESET_LIMITS)(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/email/password_reset_body.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
