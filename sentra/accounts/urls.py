from django.contrib.auth import views as auth_views
from django.urls import path

from sentra.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The second factor: the code after the password, and turning it on or off (sentra/accounts/twofactor.py).
    path("masuk/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/", views.two_factor, name="two_factor"),
]
