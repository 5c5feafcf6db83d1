from django.urls import path

from accounts import views

urlpatterns = [
    # seed 001 section 1 (+ seed 000 / 003 / 004 aliases)
    path("auth/send-otp", views.SendOtpView.as_view(), name="auth-send-otp"),
    path("auth/send-email-otp", views.SendEmailOtpView.as_view(), name="auth-send-email-otp"),
    path("auth/verify-otp", views.VerifyOtpView.as_view(), name="auth-verify-otp"),
    path("auth/verify-email-otp", views.VerifyEmailOtpView.as_view(), name="auth-verify-email-otp"),
    path("auth/login", views.PasswordLoginView.as_view(), name="auth-login"),
    path("auth/login/phone-otp", views.StaffPhoneOtpLoginView.as_view(), name="auth-login-phone-otp"),
    path("auth/login/phone-password", views.StaffPhonePasswordLoginView.as_view(), name="auth-login-phone-password"),
    path(
        "auth/login/username-password",
        views.StaffUsernamePasswordLoginView.as_view(),
        name="auth-login-username-password",
    ),
    path("auth/register", views.RegisterView.as_view(), name="auth-register"),
    path("auth/telegram", views.TelegramLoginView.as_view(), name="auth-telegram"),
    path("auth/oauth/google", views.GoogleLoginView.as_view(), name="auth-oauth-google"),
    path("auth/oauth/facebook", views.FacebookLoginView.as_view(), name="auth-oauth-facebook"),
    path("auth/forgot-password", views.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", views.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("auth/set-password", views.SetPasswordView.as_view(), name="auth-set-password"),
    path("auth/change-password", views.ChangePasswordView.as_view(), name="auth-change-password"),
    path("auth/refresh", views.RefreshView.as_view(), name="auth-refresh"),
    path("auth/refresh-token", views.RefreshView.as_view(), name="auth-refresh-token"),
    path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/me", views.MeView.as_view(), name="auth-me"),
    path("auth/roles", views.RolesView.as_view(), name="auth-roles"),
    # seed 000 admin and partner sign-in
    path("admin/auth/login", views.AdminLoginView.as_view(), name="admin-auth-login"),
    path("admin/auth/refresh-token", views.AdminRefreshView.as_view(), name="admin-auth-refresh-token"),
    path("partner/auth/login", views.PartnerLoginView.as_view(), name="partner-auth-login"),
    # seed 000 addresses
    path("users/addresses", views.AddressListView.as_view(), name="addresses"),
    path("users/addresses/<uuid:address_id>", views.AddressDetailView.as_view(), name="address-detail"),
    path(
        "users/addresses/<uuid:address_id>/set-default",
        views.AddressSetDefaultView.as_view(),
        name="address-set-default",
    ),
    # seed 004 profile and avatar
    path("users/profile", views.MyProfileView.as_view(), name="my-profile"),
    path("users/avatar", views.AvatarView.as_view(), name="my-avatar"),
    # seed 001 section 9
    path("users/<uuid:user_id>/profile", views.UserProfileView.as_view(), name="user-profile"),
    path("users/<uuid:user_id>/update-email", views.UpdateEmailView.as_view(), name="user-update-email"),
    path("users/<uuid:user_id>/verify-email", views.VerifyEmailView.as_view(), name="user-verify-email"),
    path("users/<uuid:user_id>/update-phone", views.UpdatePhoneView.as_view(), name="user-update-phone"),
    path("users/<uuid:user_id>/verify-phone", views.VerifyPhoneView.as_view(), name="user-verify-phone"),
    path(
        "users/<uuid:user_id>/resend-verification-otp",
        views.ResendVerificationView.as_view(),
        name="user-resend-verification-otp",
    ),
    path(
        "users/<uuid:user_id>/contact/<str:contact_type>", views.RemoveContactView.as_view(), name="user-remove-contact"
    ),
]
