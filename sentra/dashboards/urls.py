from django.urls import path

from sentra.dashboards import opendata, views

app_name = "dashboards"
urlpatterns = [
    path("", views.office_dashboard, name="office"),
    path("provinsi/", views.province_rollup, name="rollup"),
    path("banding/", views.comparison, name="compare"),
    path("mutu-data/", views.data_quality, name="quality"),
    path("izin/", views.licences_expiring, name="licences"),
]

# Public, no login: aggregates only (see opendata.py).
open_data_urlpatterns = [
    path("umkm.csv", opendata.open_data_csv, name="csv"),
    path("umkm.json", opendata.open_data_json, name="json"),
    path("", opendata.open_data_index, name="index"),
]
