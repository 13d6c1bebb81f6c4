from django.urls import path

from essor.surveys import views_needs, views_respond, views_staff

app_name = "surveys"

urlpatterns = [
    # Respondents (the invitation link, no account).
    path("r/<str:token>/", views_respond.respond, name="respond"),
    path("r/<str:token>/page/<slug:section>/", views_respond.page, name="page"),
    path("r/<str:token>/relecture/", views_respond.review, name="review"),
    path("r/<str:token>/recu/", views_respond.receipt, name="receipt"),
    path("mes-reponses/", views_staff.my_responses, name="mine"),
    # Programme team and CRESS operators.
    path("", views_staff.campaign_list, name="campaigns"),
    path("campagnes/<slug:slug>/", views_staff.campaign_detail, name="campaign"),
    path("campagnes/<slug:slug>/relances/", views_staff.campaign_remind, name="remind"),
    path("campagnes/<slug:slug>/analyse/", views_staff.campaign_analysis, name="analysis"),
    path("campagnes/<slug:slug>/export/<slug:kind>/", views_staff.campaign_export, name="export"),
    path("campagnes/<slug:slug>/invitations/<int:pk>/", views_staff.response_detail, name="response"),
    path(
        "campagnes/<slug:slug>/invitations/<int:pk>/lien/",
        views_staff.invitation_link,
        name="invitation_link",
    ),
    path("questionnaires/", views_staff.questionnaire_list, name="questionnaires"),
    path("questionnaires/<slug:slug>/v<int:number>/", views_staff.questionnaire_preview, name="preview"),
    path(
        "questionnaires/<slug:slug>/v<int:number>/xlsform/", views_staff.questionnaire_xlsform, name="xlsform"
    ),
    # The public needs board.
    path("besoins/", views_needs.board, name="needs"),
    path("besoins/<int:pk>/", views_needs.need_detail, name="need"),
    path("besoins/a-valider/", views_needs.review_list, name="needs_review"),
    path("besoins/<int:pk>/examen/", views_needs.review, name="need_review"),
]
