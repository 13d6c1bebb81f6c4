from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from essor.core.glossary import terms_by_group


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and the load benchmark."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    return render(request, "core/home.html")


def glossary(request):
    return render(request, "core/glossary.html", {"groups": terms_by_group()})


def methodology(request):
    return render(request, "core/methodology.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
