from django.urls import path

from sentra.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_index, name="index"),
]
