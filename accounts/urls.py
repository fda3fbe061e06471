from django.urls import path

from accounts import data_views, onboarding, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email-confirm"),
    path("email/confirm-again/", views.email_confirm_resend, name="email-confirm-resend"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("settings/", views.settings_update, name="settings"),
    path("target-role/", views.target_role_update, name="target-role"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar-feed/", views.feed_create, name="feed-create"),
    path("calendar-feed/revoke/", views.feed_revoke, name="feed-revoke"),
    path("export/", data_views.export, name="export"),
    path("import/", data_views.import_, name="import"),
    path("delete/", data_views.delete, name="delete"),
    path("welcome/", onboarding.onboarding_role, name="onboarding-role"),
    path("welcome/pace/", onboarding.onboarding_pace, name="onboarding-pace"),
    path("welcome/known/<int:index>/", onboarding.onboarding_known, name="onboarding-known"),
]
