from django.urls import path

from essor.surveys import views_respond

app_name = "surveys"

urlpatterns = [
    path("r/<str:token>/", views_respond.respond, name="respond"),
    path("r/<str:token>/page/<slug:section>/", views_respond.page, name="page"),
    path("r/<str:token>/relecture/", views_respond.review, name="review"),
    path("r/<str:token>/recu/", views_respond.receipt, name="receipt"),
]
