from __future__ import annotations

from django.urls import path

from revisewise.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/download/", views.my_data_download, name="my-data-download"),
    path("delete/", views.account_delete, name="account-delete"),
    path("delete/done/", views.account_deleted, name="account-deleted"),
    path("audit/", views.audit_log, name="audit-log"),
]
