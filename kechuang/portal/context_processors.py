from kechuang.workflow.models import Section


def site(request):
    """The navigation sections, for the header of every page."""
    return {"nav_sections": Section}
