from django.contrib.auth import views as auth_views
from django.urls import path

from sentra.accounts import token_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # API tokens, for office admins
    path("token-api/", token_views.token_list, name="token_list"),
    path("token-api/<int:pk>/", token_views.token_detail, name="token_detail"),
    path("token-api/<int:pk>/cabut/", token_views.token_revoke, name="token_revoke"),
    # The second factor: the code after the password, and turning it on or off (sentra/accounts/twofactor.py).
    path("masuk/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/", views.two_factor, name="two_factor"),
]
