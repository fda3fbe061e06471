"""Loading the shipped pack (content/) in tests that need real content."""

from pathlib import Path

from careers.content_pack import content_pack_load

SHIPPED_PACK = Path(__file__).resolve().parent.parent / "content"


def shipped_pack_load():
    return content_pack_load(path=SHIPPED_PACK)
