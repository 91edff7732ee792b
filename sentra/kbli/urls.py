from django.urls import path

app_name = "kbli"
urlpatterns: list = []
