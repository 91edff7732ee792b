from django.urls import path

from sentra.kbli import views

app_name = "kbli"
urlpatterns = [path("pilihan/", views.options, name="options")]
