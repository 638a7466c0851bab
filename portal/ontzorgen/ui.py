"""What the ontzorgen templates need besides their data: label msgids, icons and blank repeated forms."""

from __future__ import annotations

from portal.ontzorgen import models
from portal.ontzorgen.forms import ReturnForm
from portal.ontzorgen.statement import return_reason, stored_reason


class OntzorgenLabels:
    """Label msgids (lazy); templates translate them with _() or bi() where they show them."""

    costs = models.COST_LABELS
    cost_icons = models.COST_ICONS
    frequencies = models.FREQUENCY_LABELS
    states = models.STATE_LABELS
    handover = models.HANDOVER_LABELS


def return_form(payment_id: int) -> ReturnForm:
    """A blank "the payment came back" form for one payment of the staff panel."""
    return ReturnForm(formdata=None, prefix=f"return{payment_id}")


def payment_return_reason(payment) -> str | None:
    """Why a payment came back, in the reader's language when it is the bank's own reason (stored in Dutch
    from the statement); a reason the contact person wrote is shown as written."""
    if payment.return_code and payment.return_reason == stored_reason(payment.return_code):
        return return_reason(payment.return_code)
    return payment.return_reason


def ontzorgen_template_context() -> dict:
    return {"ontzorgen_labels": OntzorgenLabels, "return_form": return_form,
            "payment_return_reason": payment_return_reason}
