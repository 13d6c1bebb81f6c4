"""PDF of the funder report with WeasyPrint. Uses essor.core.pdf when it exists (the project's shared helper, with
its fonts and PDF/UA variant); until then renders the same template here, with the document's title and language."""

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, lang: str, title: str, metadata: dict | None = None) -> bytes:
    try:
        from essor.core.pdf import render_pdf as core_render_pdf
    except ImportError:
        core_render_pdf = None
    if core_render_pdf is not None:
        return core_render_pdf(template, context, lang=lang, title=title, metadata=metadata)
    import weasyprint
    from django.conf import settings

    html = render_to_string(template, context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
