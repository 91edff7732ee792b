from django.urls import path

from sentra.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("muat/", views.source_upload, name="source_upload"),
    path("<int:pk>/", views.source_detail, name="source_detail"),
    path("<int:pk>/berkas/", views.source_file, name="source_file"),
    path("<int:pk>/cocokkan/", views.source_link, name="source_link"),
    path("<int:pk>/kolom/", views.source_roles, name="source_roles"),
    path("baris/<int:pk>/", views.record_detail, name="record_detail"),
    path("baris/<int:pk>/tautkan/", views.record_link, name="record_link"),
    path("<int:pk>/tinjau/", views.review, name="review"),
    path("kandidat/<int:pk>/putuskan/", views.decide, name="decide"),
    path("baris/<int:pk>/lepas/", views.unlink, name="unlink"),
    path("duplikat/", views.duplicates, name="duplicates"),
    path("duplikat/cari/", views.duplicates_search, name="duplicates_search"),
    path("duplikat/semua/", views.duplicate_list, name="duplicate_list"),
    path("duplikat/putuskan/", views.duplicates_decide_many, name="duplicates_decide_many"),
    path("penggabungan/", views.merge_list, name="merge_list"),
    path("penggabungan/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("penggabungan/<int:pk>/batalkan/", views.merge_undo, name="merge_undo"),
    path("duplikat/<int:pk>/putuskan/", views.duplicate_decide, name="duplicate_decide"),
    path("duplikat/<int:pk>/gabung/<int:keep>/", views.duplicate_merge, name="duplicate_merge"),
]
