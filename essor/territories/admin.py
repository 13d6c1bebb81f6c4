"""Back office for the territorial reference: read-only, since every row comes from `essor territories load`
(an edit would be overwritten by the next load; change the files and reload instead)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from essor.territories.models import Commune, Departement, Epci, Qpv, QpvCrosswalk, ReferenceLoad, Region


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # counting 37,000 communes on every page is wasted work

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "zone", "population"]
    list_filter = ["zone"]
    search_fields = ["code", "name", "search_name"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "zone", "population"]
    list_filter = ["zone", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "search_name"]


@admin.register(Epci)
class EpciAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "nature", "financing", "population", "parent"]
    list_filter = ["nature", "financing"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "search_name"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "departement", "epci", "population"]
    list_filter = ["kind", "zone", "departement__region"]
    list_select_related = ["departement", "epci"]
    search_fields = ["=code", "search_name", "name", "postcodes", "=siren"]


class CrosswalkInline(admin.TabularInline):
    model = QpvCrosswalk
    fk_name = "qpv_2015"
    fields = ["qpv_2024", "share_of_2015_area", "share_of_2024_area"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("2024 QPV overlapping it")
    verbose_name_plural = _("2024 QPVs overlapping it (crosswalk)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Qpv)
class QpvAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "generation", "departement", "repaired", "area_m2", "population"]
    list_filter = ["generation", "repaired", "departement__region"]
    list_select_related = ["departement"]
    search_fields = ["=code", "search_name", "name"]
    exclude = ["geometry", "geojson"]
    readonly_fields = ["contour_summary"]
    inlines = [CrosswalkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geometry", "geojson")

    @admin.display(description=_("contour"))
    def contour_summary(self, obj):
        return _("%(min_lon).4f, %(min_lat).4f to %(max_lon).4f, %(max_lat).4f (WGS84 bounding box)") % {
            "min_lon": obj.min_lon,
            "min_lat": obj.min_lat,
            "max_lon": obj.max_lon,
            "max_lat": obj.max_lat,
        }


@admin.register(QpvCrosswalk)
class QpvCrosswalkAdmin(ReadOnlyAdmin):
    list_display = ["qpv_2015", "qpv_2024", "share_of_2015_area", "share_of_2024_area"]
    list_select_related = ["qpv_2015", "qpv_2024"]
    search_fields = ["=qpv_2015__code", "=qpv_2024__code", "qpv_2015__search_name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("qpv_2015__geometry", "qpv_2015__geojson", "qpv_2024__geometry", "qpv_2024__geojson")
        )


@admin.register(ReferenceLoad)
class ReferenceLoadAdmin(ReadOnlyAdmin):
    list_display = ["loaded_at", "changed", "source_dir", "summary"]
    list_filter = ["changed"]
    date_hierarchy = "loaded_at"

    @admin.display(description=_("changes"))
    def summary(self, obj):
        parts = []
        for kind, counts in obj.counts.items():
            changed = counts.get("added", 0) + counts.get("updated", 0) + counts.get("removed", 0)
            if changed:
                parts.append(f"{kind}: +{counts['added']} ~{counts['updated']} -{counts['removed']}")
        return "; ".join(parts) or _("No change")
