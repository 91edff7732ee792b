from django.urls import path

from sentra.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("unggah/", views.upload, name="upload"),
    path("format-impor.xlsx", views.blank_template, name="blank_template"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/kemajuan/", views.batch_progress, name="batch_progress"),
    path("<int:pk>/aksi/", views.batch_action, name="batch_action"),
    path("<int:pk>/batalkan/", views.batch_undo, name="batch_undo"),
    path("<int:pk>/ditolak.xlsx", views.batch_rejects, name="batch_rejects"),
]
