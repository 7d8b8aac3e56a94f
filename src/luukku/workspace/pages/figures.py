"""How the organisation's desks are doing: the queue now, waiting times to claim and to
the first answer (median and 95th percentile, overall and per member) and hand-overs,
as charts and as the same numbers in tables. The broker computes them
(``GetDeskFigures``, members only, audited); the page only lays them out."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from luukku.client import Desk, DeskFigures, WaitFigures
from luukku.web import chart, i18n
from luukku.web.pages import render
from luukku.workspace.state import clerk_client, workspace_of


@dataclass(frozen=True)
class WaitRow:
    """One line of the waits' table: everyone, or one member."""

    label: str
    waits: WaitFigures


@dataclass(frozen=True)
class DeskReport:
    """One desk's figures as its page section shows them."""

    desk: Desk
    figures: DeskFigures
    rows: list[WaitRow]
    counts: chart.Chart
    waits: chart.Chart


def duration_text(wait: timedelta | None) -> str:
    """A waiting time as a clerk reads it ("4 min 10 s"); a dash when there is none."""
    if wait is None:
        return "\u2013"  # an en dash: no value
    seconds = round(wait.total_seconds())
    if seconds < 1:
        return i18n.gettext_("under 1 s")
    if seconds < 60:
        return i18n.gettext_("%(num)d s") % {"num": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return i18n.gettext_("%(min)d min %(sec)d s") % {"min": minutes, "sec": seconds}
    hours, minutes = divmod(minutes, 60)
    return i18n.gettext_("%(hours)d h %(min)d min") % {"hours": hours, "min": minutes}


def _seconds(wait: timedelta | None) -> float:
    return wait.total_seconds() if wait is not None else 0.0


def _wait_bars(row: WaitRow) -> list[tuple[str, str, tuple[float, ...]]]:
    """A heading naming the row, then two bars: to claim and to the first answer, each the
    median solid and the rest up to the 95th percentile hatched after it."""
    bars: list[tuple[str, str, tuple[float, ...]]] = [(row.label, row.label, ())]
    for what, p50, p95 in (
        (i18n.gettext_("to claim"), row.waits.to_claim_p50, row.waits.to_claim_p95),
        (i18n.gettext_("to first answer"), row.waits.to_answer_p50, row.waits.to_answer_p95),
    ):
        text = i18n.gettext_("%(what)s: median %(p50)s, 95 %% %(p95)s") % {
            "what": what,
            "p50": duration_text(p50),
            "p95": duration_text(p95),
        }
        median = _seconds(p50)
        bars.append((row.label, text, (median, max(_seconds(p95) - median, 0.0))))
    return bars


def report(desk: Desk, figures: DeskFigures, names: dict[str, str]) -> DeskReport:
    """Lay out one desk's figures: a chart of counts and one of waits."""
    rows = [WaitRow(i18n.gettext_("Everyone"), figures.waits)] + [
        WaitRow(names.get(m.organization_id, m.organization_id), m.waits) for m in figures.members
    ]
    counts = [
        (i18n.gettext_("In the queue now"), figures.queued),
        (i18n.gettext_("Held by members now"), figures.claimed),
        (i18n.gettext_("Closed"), figures.closed),
        (i18n.gettext_("Hand-overs"), figures.handovers),
    ]
    return DeskReport(
        desk,
        figures,
        rows,
        chart.layout([(label, f"{label}: {n}", (n,)) for label, n in counts], ("bar-count",)),
        chart.layout(
            [bar for row in rows for bar in _wait_bars(row)],
            ("bar-median", "bar-tail"),
            hatched={"bar-tail"},
        ),
    )


async def figures_page(request: Request) -> Response:
    """GET /figures: the figures of each desk the organisation is a member of."""
    client = clerk_client(request)
    workspace = workspace_of(request)
    org = workspace.config.org
    desks = [d async for d in client.list_desks() if org in d.member_organization_ids]
    names, found = await asyncio.gather(
        workspace.broker.organization_names(),
        asyncio.gather(*(client.get_desk_figures(d.id) for d in desks)),
    )
    reports = [report(d, f, names) for d, f in zip(desks, found, strict=True)]
    return render(
        request, "figures.html", section="figures", reports=reports, duration=duration_text
    )
