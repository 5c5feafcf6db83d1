from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from tests.core import views

urlpatterns = [
    path("api/v1/test/echo", views.EchoView.as_view()),
    path("api/v1/test/boom", views.BoomView.as_view()),
    path("api/v1/test/missing", views.MissingView.as_view()),
    path("api/v1/test/domain-error", views.DomainErrorView.as_view()),
    path("api/v1/test/private", views.PrivateView.as_view()),
    path("api/v1/test/forbidden", views.ForbiddenView.as_view()),
    path("api/v1/test/throttled", views.ThrottledView.as_view()),
    path("api/v1/test/users", views.UserListView.as_view()),
    *project_urlpatterns,
]

handler400 = "core.views.handler400"
handler403 = "core.views.handler403"
handler404 = "core.views.handler404"
handler500 = "core.views.handler500"
