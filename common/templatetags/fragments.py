"""{% cachedfragment "name" input ... %} … {% endcachedfragment %}

Renders its body once per distinct set of inputs and serves the stored HTML after that
(see common.fragments). Every value the body shows must be covered by an input: the
content version for content, the learner version for anything of the learner's, and the
ids, states and paths the body reads. Context values that are only read inside the body
can be lazy, so a stored fragment costs neither their queries nor their rendering.
"""

from django import template

from common.fragments import CSRF_PLACEHOLDER, fragment_key, fragments

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, inputs):
        self.nodelist = nodelist
        self.name = name
        self.inputs = inputs

    def render(self, context):
        name = self.name.resolve(context)
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
