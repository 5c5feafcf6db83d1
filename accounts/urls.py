from django.urls import path

from accounts.views import addresses, passwords, privacy, profile, session, signin

urlpatterns = [
    # seed 001 section 1 (+ seed 000 / 003 / 004 aliases)
    path("auth/send-otp", signin.SendOtpView.as_view(), name="auth-send-otp"),
    path("auth/send-email-otp", signin.SendEmailOtpView.as_view(), name="auth-send-email-otp"),
    path("auth/verify-otp", signin.VerifyOtpView.as_view(), name="auth-verify-otp"),
    path("auth/verify-email-otp", signin.VerifyEmailOtpView.as_view(), name="auth-verify-email-otp"),
    path("auth/login", signin.PasswordLoginView.as_view(), name="auth-login"),
    path("auth/login/phone-otp", signin.StaffPhoneOtpLoginView.as_view(), name="auth-login-phone-otp"),
    path("auth/login/phone-password", signin.StaffPhonePasswordLoginView.as_view(), name="auth-login-phone-password"),
    path(
        "auth/login/username-password",
        signin.StaffUsernamePasswordLoginView.as_view(),
        name="auth-login-username-password",
    ),
    path("auth/register", signin.RegisterView.as_view(), name="auth-register"),
    path("auth/telegram", signin.TelegramLoginView.as_view(), name="auth-telegram"),
    path("auth/oauth/google", signin.GoogleLoginView.as_view(), name="auth-oauth-google"),
    path("auth/oauth/facebook", signin.FacebookLoginView.as_view(), name="auth-oauth-facebook"),
    path("auth/forgot-password", passwords.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", passwords.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("auth/set-password", passwords.SetPasswordView.as_view(), name="auth-set-password"),
    path("auth/change-password", passwords.ChangePasswordView.as_view(), name="auth-change-password"),
    path("auth/refresh", session.RefreshView.as_view(), name="auth-refresh"),
    path("auth/refresh-token", session.RefreshView.as_view(), name="auth-refresh-token"),
    path("auth/logout", session.LogoutView.as_view(), name="auth-logout"),
    path("auth/me", session.MeView.as_view(), name="auth-me"),
    path("auth/roles", session.RolesView.as_view(), name="auth-roles"),
    # seed 000 admin and partner sign-in
    path("admin/auth/login", signin.AdminLoginView.as_view(), name="admin-auth-login"),
    path("admin/auth/refresh-token", session.AdminRefreshView.as_view(), name="admin-auth-refresh-token"),
    path("partner/auth/login", signin.PartnerLoginView.as_view(), name="partner-auth-login"),
    # seed 002's vendor sign-in: the same code, then the partner sign-in
    path("auth/vendor/send-otp", signin.SendOtpView.as_view(), name="auth-vendor-send-otp"),
    path("auth/vendor/verify-otp", signin.PartnerLoginView.as_view(), name="auth-vendor-verify-otp"),
    # seed 000 addresses
    path("users/addresses", addresses.AddressListView.as_view(), name="addresses"),
    path("users/addresses/<uuid:address_id>", addresses.AddressDetailView.as_view(), name="address-detail"),
    path(
        "users/addresses/<uuid:address_id>/set-default",
        addresses.AddressSetDefaultView.as_view(),
        name="address-set-default",
    ),
    # seed 004 profile and avatar
    path("users/profile", profile.MyProfileView.as_view(), name="my-profile"),
    path("users/avatar", profile.AvatarView.as_view(), name="my-avatar"),
    # issue #21 personal data: download it, delete the account (the caller's own only)
    path("users/me/data", privacy.MyDataView.as_view(), name="my-data"),
    path("users/me", privacy.MyAccountView.as_view(), name="my-account"),
    # seed 001 section 9
    path("users/<uuid:user_id>/profile", profile.UserProfileView.as_view(), name="user-profile"),
    path("users/<uuid:user_id>/update-email", profile.UpdateEmailView.as_view(), name="user-update-email"),
    path("users/<uuid:user_id>/verify-email", profile.VerifyEmailView.as_view(), name="user-verify-email"),
    path("users/<uuid:user_id>/update-phone", profile.UpdatePhoneView.as_view(), name="user-update-phone"),
    path("users/<uuid:user_id>/verify-phone", profile.VerifyPhoneView.as_view(), name="user-verify-phone"),
    path(
        "users/<uuid:user_id>/resend-verification-otp",
        profile.ResendVerificationView.as_view(),
        name="user-resend-verification-otp",
    ),
    path(
        "users/<uuid:user_id>/contact/<str:contact_type>",
        profile.RemoveContactView.as_view(),
        name="user-remove-contact",
    ),
]
