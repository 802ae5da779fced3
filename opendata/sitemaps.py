"""`/sitemap.xml`: every public page, with when it last changed. Django's sitemaps, over the public querysets."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from hearings.models import Hearing, Organization, Person, Process, StakeholderGroup


class LanguagesSitemap(Sitemap):
    """Every page in each of the six languages, each entry naming its versions in the others (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class ListSitemap(LanguagesSitemap):
    changefreq = "weekly"

    def items(self):
        return ["hearings:home", "hearings:hearing_list", "hearings:person_list", "hearings:organization_list",
                "hearings:stakeholdergroup_list", "hearings:statistics"]  # fmt: skip

    def location(self, name):
        return reverse(name)


class PublicSitemap(LanguagesSitemap):
    """The public rows of `model`, each with its page and its last change."""

    model = None

    def items(self):
        return self.model.objects.public().only("slug", "updated").order_by("pk")

    def lastmod(self, obj):
        return obj.updated


def public_sitemap(model):
    return type(f"{model.__name__}Sitemap", (PublicSitemap,), {"model": model})


SITEMAPS = {
    "lists": ListSitemap,
    "hearings": public_sitemap(Hearing),
    "people": public_sitemap(Person),
    "organizations": public_sitemap(Organization),
    "stakeholder-groups": public_sitemap(StakeholderGroup),
    "processes": public_sitemap(Process),
}
