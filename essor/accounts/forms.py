from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from essor.accounts.models import Audience, Organisation, Profile, Role
from essor.accounts.services import normalise_email


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the email address (it is the username, lower-cased)."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong email address or password, or the address is not confirmed yet."),
    }

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Leave empty if yours is not listed; the programme team can add it."),
    )
    audience = forms.ChoiceField(label=_("You are"), choices=Audience.choices, initial=Audience.OTHER)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not too common, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether an account already exists is never said here (sign_up emails its owner instead).
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves. An operator's organisation gives rights over its sessions,
    so only the programme team changes it (in the admin)."""

    class Meta:
        model = Profile
        fields = ["organisation", "audience", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.role != Role.MEMBER:
            del self.fields["organisation"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted for good."), required=True
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is wrong."))
        return password
