"""``{% datacache "name" vary… [timeout=seconds] %}…{% enddatacache %}``: a fragment cached until the
partnership's data changes.

Only on pages under ``/p/<slug>/`` (``partnership_view`` sets the partnership and the membership the key
needs). Pass the page's data as ``yjplan.cache.lazy(...)`` so that a cached fragment costs no query.
A ``{% csrf_token %}`` inside is stored as a placeholder and filled with the visitor's own token.
"""

from django import template
from django.utils.safestring import mark_safe

from yjplan.cache import CSRF_PLACEHOLDER, TIMEOUT, fragment

register = template.Library()


class DataCacheNode(template.Node):
    def __init__(self, name, vary, nodelist, timeout=TIMEOUT):
        self.name, self.vary, self.nodelist, self.timeout = name, vary, nodelist, timeout

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "membership", None) is None:
            raise template.TemplateSyntaxError("{% datacache %} needs a partnership page's request")
        vary = tuple(v.resolve(context) for v in self.vary)

        def build():
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return self.nodelist.render(context)

        html = fragment(request, self.name.resolve(context), build, vary, self.timeout)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - our own templates' output, escaped when it was rendered


@register.tag("datacache")
def do_datacache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% datacache %} needs a name")
    timeout = TIMEOUT
    if bits[-1].startswith("timeout="):
        timeout = int(bits.pop().removeprefix("timeout="))
    nodelist = parser.parse(("enddatacache",))
    parser.delete_first_token()
    vary = [parser.compile_filter(b) for b in bits[2:]]
    return DataCacheNode(parser.compile_filter(bits[1]), vary, nodelist, timeout)
