"""Who is asking: the name and other open inquiries of an identified inquiry's citizen,
for the organisation handling it (see ``domain.desks.askers``), each read audited.
"""

from __future__ import annotations

from luukku.domain.access import Reason
from luukku.domain.acting import kind_of
from luukku.domain.caller import Caller
from luukku.domain.desks.askers import MAX_OTHER_OPEN, Asker
from luukku.domain.errors import failed_precondition
from luukku.service.access.guard import guard
from luukku.service.desks.inquiry import seen
from luukku.service.ids import require_id
from luukku.store.uow import Store


def get_inquiry_asker(store: Store, caller: Caller, inquiry_id: str) -> Asker:
    """The inquiry's citizen as the calling organisation may see them: it must be a member
    of the inquiry's desk and hold (or have closed) the inquiry, or own a case of its
    citizen. Audited under the citizen as ``inquiry.asker.read``."""
    require_id(inquiry_id, "inquiry_id")
    resource = f"inquiries/{inquiry_id}/asker"
    with guard(store, caller, action="inquiry.asker.read", resource=resource) as access:
        inquiry = seen(access, inquiry_id, clerks_only=True)
        tx, org = access.tx, caller.organization.id
        citizen_id = inquiry.citizen_id
        if citizen_id is None:
            raise failed_precondition("INQUIRY_ANONYMOUS", "an anonymous inquiry has nobody asking")
        if inquiry.claimed_by_org_id == org:
            access.allow(Reason.INQUIRY_HOLDER)
        elif tx.cases.owns_case_of(org, citizen_id):
            access.allow(Reason.OWNER)
        else:
            access.deny(Reason.NOT_INQUIRY_HOLDER)
        others = tx.inquiries.open_of_citizen_with(citizen_id, org, access.now, MAX_OTHER_OPEN + 1)
        # Asked under a right: the audit log's event of the asking names who asked.
        asked = tx.audit.who_acted(citizen_id, "inquiry.create", f"inquiries/{inquiry_id}")
        kind = kind_of(asked[1]) if asked is not None and asked[0] != citizen_id else None
        return Asker(
            inquiry_id,
            citizen_id,
            tx.citizens.display_name(citizen_id),
            [i for i in others if i.id != inquiry_id][:MAX_OTHER_OPEN],
            tx.citizens.display_name(asked[0]) if asked is not None and kind else "",
            kind,
        )
