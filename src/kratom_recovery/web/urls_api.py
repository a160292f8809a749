"""The JSON API under /api/v1/ (django-ninja) and the pages where people manage its tokens."""

from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.api import views
from kratom_recovery.web.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("tokens/", views.token_list, name="api-tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="api-token-revoke"),
]
