import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from essor.accounts.models import Audience, Organisation, OrganisationKind, Profile, Role

PASSWORD = "a-Long-test-passw0rd"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.LOCAL_AUTHORITY
    territory = "epci:243100518"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    password = factory.django.Password(PASSWORD)


def make_user(role=Role.MEMBER, organisation=None, audience=Audience.OTHER, language="fr", **kwargs):
    """A confirmed, active person with a profile."""
    user = UserFactory(**kwargs)
    Profile.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        audience=audience,
        language=language,
        email_confirmed_at=timezone.now(),
    )
    return user
