"""Routes of the chat assistant (issue #20); included by partners/urls.py. The WebSocket is partners/routing.py."""

from django.urls import path

from partners.api import chat

urlpatterns: list = [
    path("chat/query", chat.ChatQueryView.as_view(), name="chat-query"),
    path("chat/context", chat.ChatContextView.as_view(), name="chat-context"),
]
