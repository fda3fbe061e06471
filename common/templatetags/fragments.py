"""{% cachedfragment "name" input ... %} … {% endcachedfragment %}
{% cachedfragment page %} … {% endcachedfragment %}

Renders its body once per distinct set of inputs and serves the stored HTML after that
(see common.fragments). Every value the body shows must be covered by an input: the
content version for content, the learner version for anything of the learner's, and the
ids, states and paths the body reads. A page's whole body takes the `StoredPage` its view
looked up (`stored_page()`), so the view can skip its reads when the body is stored.
"""

from django import template

from common.fragments import CSRF_PLACEHOLDER, StoredPage, fragment_key, fragments

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, inputs):
        self.nodelist = nodelist
        self.name = name
        self.inputs = inputs

    def render(self, context):
        name = self.name.resolve(context)
        if isinstance(name, StoredPage):
            key, html = name.key, name.html
        elif not name:
            # A page whose view forgot its `page`: never share one empty key between pages.
            raise template.TemplateSyntaxError("cachedfragment needs a name or a StoredPage.")
        else:
            key = fragment_key(name, [value.resolve(context) for value in self.inputs])
            html = fragments.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            fragments.set(key, html)
        if CSRF_PLACEHOLDER in html:
            # Inside an outer fragment this puts the placeholder back, as it should.
            token = str(context.get("csrf_token") or "")
            html = html.replace(CSRF_PLACEHOLDER, "" if token == "NOTPROVIDED" else token)
        return html


@register.tag
def cachedfragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment needs a name and its inputs.")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
    )
