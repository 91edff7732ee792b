from django.urls import path

from sentra.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/kemajuan/", views.report_progress, name="report_progress"),
    path("<int:pk>/unduh/", views.report_download, name="report_download"),
]
