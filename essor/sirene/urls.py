app_name = "sirene"
urlpatterns = []
