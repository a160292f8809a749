from django.urls import path

from kratom_recovery.web.api import views

urlpatterns = [
    path("tokens/", views.token_list, name="api-tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="api-token-revoke"),
]
