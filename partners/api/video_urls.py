"""Routes of issue #18 (video_urls): seed 003's meeting links (``partners.api.video``); included by partners/urls.py."""

from django.urls import path

from partners.api import video

urlpatterns = [
    path("video/generate-meet-link", video.GenerateMeetLinkView.as_view(), name="video-generate-meet-link"),
    path(
        "video/appointment/<str:appointment_id>/meet-link",
        video.AppointmentMeetLinkView.as_view(),
        name="video-appointment-meet-link",
    ),
    path("video/links", video.VideoLinksView.as_view(), name="video-links"),
]
