"""Upload (import/export) URLs of the back office; filled by the import/export module."""

urlpatterns = []
