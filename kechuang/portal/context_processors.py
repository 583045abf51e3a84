from django.utils.functional import SimpleLazyObject

from kechuang.workflow.models import Section

from .models import SiteSettings


def site(request):
    """The navigation sections for the header of every page, and 网站设置 for its footer (read only when a
    page shows it, then cached: SiteSettings.current)."""
    return {"nav_sections": Section, "site_settings": SimpleLazyObject(SiteSettings.current)}
