"""Forms of learn: the contact person assigns a module. (The resident's answers are plain radio groups whose
options come from the content files; the services check them.)"""

from __future__ import annotations

from portal.i18n import _l
from portal.web.forms import BaseForm, Select


class AssignForm(BaseForm):
    class Meta:
        csrf = False  # the CSRF token travels once per page (hx-headers on <body>, or the form's hidden field)

    module = Select(_l("Module"), choices=[])
