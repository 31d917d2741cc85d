"""URL configuration: language-prefixed pages, the admin, the API and language switching."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from qiao.core.views import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("qiao.api.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("orga/", include("qiao.orga.urls")),
    path("", include("qiao.portal.account_urls")),
    path("", include("qiao.portal.urls")),
    prefix_default_language=True,
)

if settings.DEBUG or settings.MODE == "demo":
    urlpatterns += [
        # Only public media (logos); uploads under MEDIA_ROOT/uploads are never served.
        path("media/logos/<path:path>", serve, {"document_root": settings.MEDIA_ROOT / "logos"}),
    ]
