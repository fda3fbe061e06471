"""A learner's data file: everything we hold about them as JSON, to download and bring back.

`schema` describes the file once; `export` fills it from the database, `import_` checks a
file against it and writes it back; `problems` words every refusal.
"""
