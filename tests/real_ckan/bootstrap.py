"""Bootstrap a test CKAN and (with --serve) run it, in one process (CKAN's own venv).

Creates the database schema (core and plugin migrations, as ``ckan db init`` does), a
sysadmin, the organisation, a normal user who is an editor of that organisation, and an
API token for each user, then writes them as JSON (to --info, else to stdout).

With ``--serve HOST`` it first binds a free port on HOST (or ``--port``), sets
``ckan.site_url`` to it (in the app and in the ini, for later ``ckan -c`` commands),
and after the bootstrap serves the app with Werkzeug, threaded, as ``ckan run
--disable-reloader --threaded`` does. One process instead of ``bootstrap`` + ``ckan run``
saves one CKAN start-up (~2-3 s) and there is no race for the port.

usage: python bootstrap.py CKAN_INI [--serve 127.0.0.1 [--port N]] [--info FILE]
"""

import argparse
import json
import os
import re


ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("ini")
ap.add_argument("--serve", metavar="HOST", help="serve the app on HOST after the bootstrap")
ap.add_argument("--port", type=int, default=0, help="with --serve (default: a free port)")
ap.add_argument("--info", help="write the JSON to this file (atomically) instead of stdout")
ap.add_argument("--organization", default="gemeente-noorderhaaks")
ap.add_argument("--title", default="Gemeente Noorderhaaks")
ap.add_argument("--sysadmin", default="ckan_admin")
ap.add_argument("--editor", default="noorderhaaks_editor")
args = ap.parse_args()

import ckan.cli as ckan_cli  # noqa: E402
from ckan.config.middleware import make_app  # noqa: E402


conf = ckan_cli.load_config(args.ini)
server = None
if args.serve:
    from werkzeug.serving import make_server

    # bind now (the app comes later): the port is known before CKAN is configured
    server = make_server(args.serve, args.port, app=None, threaded=True)
    site_url = f"http://{args.serve}:{server.port}"
    conf["ckan.site_url"] = site_url
    with open(args.ini) as f:
        ini = f.read()
    ini = re.sub(r"(?m)^ckan\.site_url\s*=.*$", f"ckan.site_url = {site_url}", ini)
    with open(args.ini, "w") as f:
        f.write(ini)

app = make_app(conf)

from ckan import logic, model  # noqa: E402
from ckan.cli.db import _migrate_plugins, _run_migrations  # noqa: E402


_run_migrations(None, "head")  # core schema (alembic)
_migrate_plugins(apply=True)  # tables of the enabled plugins

action = logic.get_action
with app._wsgi_app.test_request_context():
    site_user = action("get_site_user")({"ignore_auth": True}, {})["name"]

    def ctx(user=site_user):
        return {"model": model, "session": model.Session, "user": user, "ignore_auth": True}

    def ensure_user(name):
        if not model.User.get(name):
            action("user_create")(
                ctx(),
                {
                    "name": name,
                    "email": f"{name}@example.org",
                    "password": f"{name}-password-for-tests",
                },
            )
        return model.User.get(name)

    admin = ensure_user(args.sysadmin)
    admin.sysadmin = True
    model.Session.commit()
    ensure_user(args.editor)

    if not model.Group.get(args.organization):
        action("organization_create")(
            ctx(args.sysadmin), {"name": args.organization, "title": args.title}
        )
    org = action("organization_show")(ctx(args.sysadmin), {"id": args.organization})
    action("organization_member_create")(
        ctx(args.sysadmin),
        {"id": org["id"], "username": args.editor, "role": "editor"},
    )

    def token(user):
        return action("api_token_create")(ctx(user), {"user": user, "name": "tests"})["token"]

    result = {
        "url": conf["ckan.site_url"],
        "organization": org["name"],
        "organization_id": org["id"],
        "sysadmin": args.sysadmin,
        "sysadmin_token": token(args.sysadmin),
        "editor": args.editor,
        "editor_token": token(args.editor),
    }
model.Session.remove()

if args.info:
    with open(args.info + ".tmp", "w") as f:
        json.dump(result, f)
    os.replace(args.info + ".tmp", args.info)
else:
    print(json.dumps(result), flush=True)

if server is not None:
    # Unlike `ckan run`, no build_js_translations(): the JavaScript translations of the
    # web pages take 2 s to build into the fresh storage folder and the API needs none.
    server.app = app
    print(f"bootstrap: serving CKAN on {conf['ckan.site_url']}", flush=True)
    server.serve_forever()
