from django.urls import path

from sentra.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.business_list, name="business_list"),
    path("peta/", views.business_map, name="business_map"),
    path("ekspor/", views.business_export, name="business_export"),
    # The address the list linked to before the export menu; still the canonical CSV by default.
    path("ekspor.csv", views.business_export, name="business_export_csv"),
    path("tambah/", views.business_create, name="business_create"),
    path("tambah/cek/", views.business_duplicates, name="business_duplicates"),
    path("<int:pk>/", views.business_detail, name="business_detail"),
    path("<int:pk>/tab/<slug:tab>/", views.business_detail, name="business_tab"),
    path("<int:pk>/ubah/", views.business_edit, name="business_edit"),
    path("<int:pk>/cetak/", views.business_print, name="business_print"),
    path("<int:pk>/arsipkan/", views.business_archive, name="business_archive"),
    # The address deleting had: deleting is archiving now.
    path("<int:pk>/hapus/", views.business_archive, name="business_delete"),
    path("<int:pk>/pulihkan/", views.business_restore, name="business_restore"),
    path("<int:pk>/verifikasi/", views.business_verify, name="business_verify"),
    path("<int:pk>/skala-benar/", views.business_confirm_size, name="business_confirm_size"),
    path("<int:pk>/<slug:kind>/tambah/", views.child_edit, name="child_create"),
    path("<int:pk>/<slug:kind>/<int:child_pk>/ubah/", views.child_edit, name="child_edit"),
    path("<int:pk>/<slug:kind>/<int:child_pk>/hapus/", views.child_delete, name="child_delete"),
    path("pemilik/<int:person_pk>/nik/", views.owner_nik, name="owner_nik"),
    path("<int:pk>/usulan/<int:proposal_pk>/", views.proposal_decide, name="proposal_decide"),
]
