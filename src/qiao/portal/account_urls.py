"""Home page and account pages (no namespace: ``home``, ``login``, ``logout`` …)."""

from django.urls import path

from qiao.portal import views, views_accounts

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_accounts.LoginView.as_view(), name="login"),
    path("logout/", views_accounts.LogoutView.as_view(), name="logout"),
    path("signup/", views_accounts.signup, name="signup"),
    path("terms/", views_accounts.terms, name="terms"),
    path("account/", views_accounts.account_settings, name="account_settings"),
    path("account/password/", views_accounts.PasswordChangeView.as_view(),
         name="password_change"),
    path("password-reset/", views_accounts.PasswordResetView.as_view(),
         name="password_reset"),
    path("password-reset/sent/", views_accounts.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views_accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", views_accounts.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
