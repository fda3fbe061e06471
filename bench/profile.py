"""Where one endpoint's time goes: pyinstrument over repeated in-process requests as the
bench's learner, against the database a `make bench BENCH_ARGS=--keep` run left behind.

    .venv/bin/python -m bench.profile /dashboard/ [--requests 200] [--changed | --cold]
    .venv/bin/python -m bench.profile /topics/<slug>/state/ --post state=done

--changed retires the learner's version before every request, as a tick does, so the
profile shows the page rebuilt around the fragments still stored; --cold also drops those.
Settings and database come from the environment as for `make bench` (DATABASE_URL names
the server; the bench database next to it is used).
"""

import argparse
import os
import sys
from pathlib import Path


def options_parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--post", metavar="FIELD=VALUE", action="append", default=None)
    parser.add_argument("--changed", action="store_true")
    parser.add_argument("--cold", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    options = options_parse(sys.argv[1:] if argv is None else argv)
    from bench.database import bench_database
    from bench.run import DATA_DIR, bench_env

    database = bench_database(os.environ.get("DATABASE_URL"), DATA_DIR)
    if not database.exists():
        print(f"No bench database {database.name}: run `make bench BENCH_ARGS=--keep` first.")
        return 1
    os.environ.update(bench_env(database))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from pyinstrument import Profiler

    from accounts.models import User
    from bench.seed import learner_email, session_create
    from common.cache import learner_cache_bump
    from common.fragments import fragments

    user = User.objects.get(email=learner_email(0))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_create(user)
    posts = [dict([field.split("=", 1)]) for field in options.post or []]

    def once(index):
        if options.cold:
            fragments.clear()
        if options.cold or options.changed:
            learner_cache_bump(user.pk)
        if posts:
            data = posts[index % len(posts)]
            return client.post(options.path, data, headers={"HX-Request": "true"}, secure=True)
        return client.get(options.path, secure=True)

    for index in range(5):  # warm the per-process caches
        status = once(index).status_code
    if status != 200:
        print(f"{options.path} answered {status}, not 200.")
        return 1
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for index in range(options.requests):
        once(index)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, short_mode=True))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
