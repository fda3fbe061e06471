"""The content pack: roles, modules with their topics, and project ideas as YAML files in
`content/`. `schema` describes the files, `read` checks a whole pack (reporting every problem
through `problems`), `load` writes it in one transaction, `export` writes the database back."""

from careers.content_pack.export import content_pack_export
from careers.content_pack.load import LoadReport, content_pack_load
from careers.content_pack.problems import ContentPackError, Problem
from careers.content_pack.read import ContentPack, content_pack_read

__all__ = [
    "ContentPack",
    "ContentPackError",
    "LoadReport",
    "Problem",
    "content_pack_export",
    "content_pack_load",
    "content_pack_read",
]
