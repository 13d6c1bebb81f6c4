"""Admin of SIRENE releases: read-only, with the quality report laid out as tables (releases come from
`essor sirene ingest`, never from a form)."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from essor.core.formatting import format_number
from essor.sirene.models import Family, Release, Zone
from essor.sirene.quality import REASONS, ROLES, STEPS, UNKNOWN_CODES, public_report


def _n(value, digits: int = 0):
    """A count as the page's language writes it; anything else (a code, a checksum) as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value if value is not None else "—"
    return format_number(value, digits)


def _table(caption, headers, rows):
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )
    return format_html("<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
                       caption, head, body)  # fmt: skip


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["id", "vintage", "status", "is_active", "synthetic", "active_count", "ess_count",
                    "rejected_count", "created_at"]  # fmt: skip
    list_filter = ["status", "is_active", "synthetic"]
    exclude = ["inputs", "timings", "summary", "report"]
    readonly_fields = ["vintage", "status", "is_active", "synthetic", "fingerprint", "rules_version", "created_at",
                       "finished_at", "error", "inputs_table", "summary_table", "quality_report", "timings_table"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting the serving release emptied the whole site in two clicks: it can only be replaced (ingest).
        # The bulk action checks every selected object too, so a selection holding it is refused as a whole.
        if obj is not None and obj.is_active:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("active establishments"))
    def active_count(self, obj):
        return _n((obj.summary or {}).get("active"))

    @admin.display(description=_("ESS establishments"))
    def ess_count(self, obj):
        return _n((obj.summary or {}).get("ess"))

    @admin.display(description=_("rejected rows"))
    def rejected_count(self, obj):
        return _n(((obj.report or {}).get("rejected") or {}).get("count"))

    @admin.display(description=_("input files"))
    def inputs_table(self, obj):
        rows = [(ROLES.get(i.get("role"), i.get("role")), i.get("name"), i.get("format"), _n(i.get("size")),
                 _n(i.get("rows")), i.get("sha256")) for i in obj.inputs or []]  # fmt: skip
        return _table(
            _("Input files"), [_("role"), _("file"), _("format"), _("bytes"), _("rows"), "sha256"], rows
        )

    @admin.display(description=_("summary"))
    def summary_table(self, obj):
        summary = obj.summary or {}
        labels = {"active": _("active establishments"), "ess": _("ESS establishments"),
                  "employer": _("employer establishments"), "ess_employer": _("ESS employer establishments")}  # fmt: skip
        rows = [(label, _n(summary.get(key))) for key, label in labels.items() if key in summary]
        families = dict(Family.choices)
        rows += [(f"ESS — {families.get(family, family)}", _n(n))
                 for family, n in (summary.get("ess_by_family") or {}).items()]  # fmt: skip
        zones = dict(Zone.choices)
        rows += [(zones.get(zone, zone), f"{_n(v.get('active'))} / {_n(v.get('ess'))}")
                 for zone, v in (summary.get("by_zone") or {}).items()]  # fmt: skip
        return _table(_("Summary"), [_("figure"), _("value")], rows)

    @admin.display(description=_("timings (seconds)"))
    def timings_table(self, obj):
        rows = [
            (STEPS.get(step, step), _n(seconds, 1))
            for step, seconds in (obj.timings or {}).items()
            if step != "cpu"
        ]
        return _table(_("Timings"), [_("step"), _("seconds")], rows)

    @admin.display(description=_("quality report"))
    def quality_report(self, obj):
        """The public report's tables (the same labels and counts), then the samples only administrators see."""
        report = obj.report or {}
        parts = [_table(t.caption, t.headers, [(row[0], *(_n(c) for c in row[1:])) for row in t.rows])
                 for t in public_report(obj).tables]  # fmt: skip
        rejected = report.get("rejected") or {}
        parts.append(_table(_("Sample of rejected rows"), ["siret", "siren", "commune", _("reason")],
                            [(s["siret"], s["siren"], s["commune"], REASONS.get(s["reason"], s["reason"]))
                             for s in rejected.get("sample", [])]))  # fmt: skip
        line_label = _("line")
        malformed = [(ROLES.get(role, role), _n(m["count"]),
                      "; ".join(f"{line_label} {s['line']}: {s['text'][:80]}" for s in m["sample"]))
                     for role, m in (report.get("malformed_lines") or {}).items()]  # fmt: skip
        parts.append(_table(_("Malformed lines"), [_("file"), _("lines"), _("sample")], malformed))
        unknown = [(UNKNOWN_CODES.get(kind, kind), _n(v["count"]),
                    ", ".join(f"{code or '∅'} ({n})" for code, n in v["top"][:10]))
                   for kind, v in (report.get("unknown_codes") or {}).items()]  # fmt: skip
        parts.append(_table(_("Unknown codes"), [_("code list"), _("rows"), _("most frequent")], unknown))
        return format_html_join("", "{}", ((part,) for part in parts))
