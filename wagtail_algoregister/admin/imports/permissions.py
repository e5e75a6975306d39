"""Who may import where.

Importing needs the permission "add" on imports of algorithms (a group gets it under
Settings → Groups, "Imports of algorithms"), and, on the register, what the import
does there: add pages (every import), publish (to publish the entries) and edit (to
update existing entries). Wagtail's page permissions hold for the register and the
entries under it, so an editor imports only where they could do the same by hand.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from wagtail_algoregister.models import AlgorithmRegisterPage, ImportJob


permission_policy = ModelPermissionPolicy(ImportJob)


def may_import(user) -> bool:
    return permission_policy.user_has_permission(user, "add")


def import_registers(user):
    """The registers the user may add entries to."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return (
        AlgorithmRegisterPage.objects.filter(pk__in=pages.values("pk"))
        .select_related("locale")
        .order_by("title")
    )


def may_publish(user, register) -> bool:
    return PagePermissionPolicy().user_has_permission_for_instance(user, "publish", register)


def may_update(user, register) -> bool:
    return PagePermissionPolicy().user_has_permission_for_instance(user, "change", register)


def jobs_for(user):
    """The imports the user sees: their own (all of them for a superuser). The file
    itself is left out: it is read only to run the import."""
    jobs = ImportJob.objects.defer("data").select_related("register", "user")
    return jobs if user.is_superuser else jobs.filter(user=user)
