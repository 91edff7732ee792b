from django.urls import path

from sentra.regions import views

app_name = "regions"
urlpatterns = [path("pilihan/<slug:level>/", views.options, name="options")]
