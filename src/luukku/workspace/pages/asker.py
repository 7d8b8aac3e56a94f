"""Who is asking, on an inquiry's page: the citizen's name as their identity provider gave
it and their other open inquiries with us, so nobody asks them to start over.

Read only for an inquiry our organisation holds (or closed): the broker shows it to
nobody else, and each read is in the citizen's access log, so a queued inquiry's page
does not ask (and says who will see it).
"""

from __future__ import annotations

from luukku.client import Client, Inquiry, InquiryAsker


async def who_is_asking(client: Client, inquiry: Inquiry, org: str) -> InquiryAsker | None:
    """The inquiry's asker if it is identified and ``org`` handles it; else None."""
    if not inquiry.citizen_id or inquiry.claimed_by_organization_id != org:
        return None
    return await client.get_inquiry_asker(inquiry.id)
