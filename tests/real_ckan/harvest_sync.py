"""Run one harvest job of a ckanext-harvest source synchronously, in one process, no Redis.

Runs in CKAN's own venv (like bootstrap.py); prints the finished job as one JSON line:
``{"status": ..., "stats": {"added": N, "updated": N, "not modified": N, "errored": N,
"deleted": N}, "gather_errors": [...], "object_errors": [...]}``.

It does what ``ckanext.harvest.tests.lib.run_harvest_job`` does (gather, then fetch and
import per object, then ``harvest_jobs_run`` to finish the job), but creates the job
with ``run=False`` so nothing is sent to a queue, and needs neither Redis nor CKAN's
test packages (the stock ``ckan harvester run-test`` needs both). When a job crashes
half-way it is marked Finished, so the next job of the source can start.

usage: python harvest_sync.py CKAN_INI SOURCE_NAME_OR_ID
"""

import json
import sys

import ckan.cli as ckan_cli
from ckan.config.middleware import make_app


ini, source_id = sys.argv[1:3]
conf = ckan_cli.load_config(ini)
# Anything but "redis"/"amqp": ckanext-harvest then never touches a queue.
conf["ckan.harvest.mq.type"] = "sync"
app = make_app(conf)

from ckan import model  # noqa: E402
from ckan.plugins import toolkit as tk  # noqa: E402
from ckanext.harvest import queue  # noqa: E402
from ckanext.harvest.model import HarvestJob, HarvestObject  # noqa: E402
from flask import g  # noqa: E402


with app._wsgi_app.test_request_context():
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    # ckanext-dcat calls package_show({}, ...) on the existing dataset of a guid, which
    # takes its user from flask.g: without one, a dataset an earlier job deleted is
    # NotAuthorized when it comes back in the catalogue.
    g.user = site_user

    def ctx(**extra):
        return {
            "model": model,
            "session": model.Session,
            "user": site_user,
            "ignore_auth": True,
            **extra,
        }

    # use_cache=False: the indexed copy of a source lacks source_type after a job
    # (ckanext-harvest 1.6.3 on CKAN 2.12).
    source = tk.get_action("harvest_source_show")(ctx(use_cache=False), {"id": source_id})
    harvester = queue.get_harvester(source["source_type"])
    job = tk.get_action("harvest_job_create")(ctx(), {"source_id": source["id"], "run": False})
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    try:
        for object_id in queue.gather_stage(harvester, job_obj) or []:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    finally:
        # marks the job Finished (also after a crash, so the source is not stuck)
        tk.get_action("harvest_jobs_run")(ctx(), {"source_id": source["id"]})
    job = tk.get_action("harvest_job_show")(ctx(), {"id": job["id"]})
    print(
        json.dumps(
            {
                "status": job["status"],
                "stats": job["stats"],
                "gather_errors": job.get("gather_error_summary") or [],
                "object_errors": job.get("object_error_summary") or [],
            }
        ),
        flush=True,
    )
