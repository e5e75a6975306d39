"""The admin's inbox of residents' messages: one listing, filtered by state and register.

Who sees a message: a user with the model's view or change permission (Django's
permissions, given to groups in Settings, Groups) who may also edit the register's
page (Wagtail's page permissions); superusers see all. Messages come only from the
public form, so there is no "add". Changing the state records who handled it.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from wagtail_algoregister.models import AlgorithmRegisterPage, Feedback


def registers_for(user):
    """The registers whose messages ``user`` may read: those whose page they may edit."""
    registers = AlgorithmRegisterPage.objects.all()
    if user.is_superuser:
        return registers
    return registers.filter(
        pk__in=[page.pk for page in registers if page.permissions_for_user(user).can_edit()]
    )


def _registers(request):
    return (
        registers_for(request.user) if request is not None else AlgorithmRegisterPage.objects.none()
    )


class FeedbackFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("State"), choices=Feedback.Status.choices)
    register = django_filters.ModelChoiceFilter(label=_("Register"), queryset=_registers)

    class Meta:
        model = Feedback
        fields = []


class FeedbackAdminForm(WagtailAdminModelForm):
    def save(self, commit=True):
        feedback = super().save(commit=False)
        if "status" in self.changed_data:
            feedback.handled_by = self.for_user
            feedback.handled_at = timezone.now()
        if commit:
            feedback.save()
        return feedback


class RegisterCheckMixin:
    def get_object(self, queryset=None):
        feedback = super().get_object(queryset)
        if not registers_for(self.request.user).filter(pk=feedback.register_id).exists():
            raise PermissionDenied
        return feedback


class FeedbackIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(register__in=registers_for(self.request.user))
            .select_related("handled_by")
        )


class FeedbackEditView(RegisterCheckMixin, generic.EditView):
    pass


class FeedbackDeleteView(RegisterCheckMixin, generic.DeleteView):
    pass


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class FeedbackViewSet(ModelViewSet):
    model = Feedback
    icon = "mail"
    menu_label = _("Messages from residents")
    add_to_admin_menu = True
    menu_order = 210
    copy_view_enabled = False
    index_view_class = FeedbackIndexView
    edit_view_class = FeedbackEditView
    delete_view_class = FeedbackDeleteView
    filterset_class = FeedbackFilterSet
    list_display = [
        TitleColumn("reference", label=_("Reference"), url_name="algoregister_feedback:edit"),
        Column("entry_title", label=_("About")),
        DateColumn("received_at", label=_("Received")),
        StatusColumn("status", label=_("State"), sort_key="status"),
        Column("handled_by", label=_("Handled by")),
    ]
    search_fields = ["reference", "entry_title", "message", "name", "email"]
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            FieldPanel("internal_note"),
            MultiFieldPanel(
                [
                    FieldPanel(name, read_only=True)
                    for name in (
                        "reference",
                        "entry_title",
                        "entry_url",
                        "received_at",
                        "message",
                        "name",
                        "email",
                        "language",
                        "notified_to",
                        "handled_by",
                        "handled_at",
                        "personal_data_removed_at",
                    )
                ],
                heading=_("The message"),
            ),
        ],
        base_form_class=FeedbackAdminForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        # Messages only come in through the public form.
        return super().get_common_view_kwargs(**{"add_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().exclude(codename="add_feedback")
