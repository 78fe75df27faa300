"""Geometry of the small bar charts drawn as inline SVG (templates/_charts.j2 draws them)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
AXIS_WIDTH = 36  # left of the bars: the numbers of the grid lines
GRID_LINES = 4  # at most: a round step (1, 2 or 5 times a power of ten) that gives this many or fewer
BAR_AREA_HEIGHT = 160
TOP_ROOM = 8  # above the tallest bar: a grid line there has its number drawn inside the chart
LABEL_HEIGHT = 40
HORIZONTAL_LABEL_WIDTH = 200
HORIZONTAL_ROW_HEIGHT = 18
MAX_BARS = 52  # about a year of weekly dumps; older ones are on the Dumps page
LABELLED_BARS = 16  # up to this many bars, each is labelled below the axis; past it, the title gives the range
MONTH_TICK = "Jan"  # of a chart of more months than that, the month labelled below the axis
# The least height of a segment above zero: one paper seen before in a month of 600 was under a tenth of a unit,
# and the chart's key named a colour no bar showed (a reader's review).
MIN_SEGMENT_HEIGHT = 2


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    segments: tuple[tuple[str, int, float, float], ...]  # (series, value, y, height), bottom segment first
    tick: bool = False  # labelled below the axis though the chart's bars are not: a year's first month
    note: str = ""  # what else the numbers say of it (BarChart.note_heading)

    @property
    def total(self) -> int:
        return sum(value for _, value, _, _ in self.segments)


@dataclass(frozen=True)
class GridLine:
    value: int
    y: float


@dataclass(frozen=True)
class ShareLine:
    """A line over the bars through each bar's share of something, on a scale of its own: the highest share at
    the top of the bars' area."""

    runs: tuple[str, ...]  # "x,y x,y ..." of each polyline (a dot if one point): a bar without a share breaks it
    highest: float
    highest_label: str  # of the bar it is highest at
    peak: tuple[float, float]  # x, y of the highest point, which the chart labels with its share: the line is on
    # a scale of its own, and read against the count axis it looked like a number of papers (a reader's review)


@dataclass(frozen=True)
class BarChart:
    title: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]
    grid: tuple[GridLine, ...] = ()
    unit: str = "dump"  # what a bar stands for: "dump" or "month"
    note_heading: str = ""  # of the bars' notes, in the table of the numbers
    share_line: ShareLine | None = None
    until: str = ""  # the last bar's month goes on: it holds the dumps up to this day only
    axis_width: int = AXIS_WIDTH
    width: int = WIDTH
    height: int = BAR_AREA_HEIGHT + LABEL_HEIGHT
    baseline: int = BAR_AREA_HEIGHT

    @property
    def labelled(self) -> bool:
        return len(self.bars) <= LABELLED_BARS

    @property
    def tallest(self) -> Bar | None:
        """The first of the tallest bars, which the caption names: every chart's tallest bar is as tall, 3
        papers of a small topic as 200 of a large one."""
        return max(self.bars, key=lambda bar: bar.total, default=None)


def stacked_bars(title: str, series: tuple[str, ...], rows: Sequence[tuple[str, tuple[int, ...]]],
                 unit: str = "dump", notes: Sequence[str] = (), note_heading: str = "",
                 shares: Sequence[float | None] = (), until: str = "") -> BarChart:
    """Vertical stacked bars, one per row (label, value per series) of a dump or a month (`unit`), the newest
    MAX_BARS rows, with a note for each row if `notes` gives them (under `note_heading`), a line through each
    row's share if `shares` gives them (None for a row with nothing to share), and the day the last month goes
    `until` where it goes on. Where the bars are not labelled, or not every row has one, the title says which
    they are."""
    notes = list(notes)[-MAX_BARS:] if notes else []
    shares = list(shares)[-MAX_BARS:] if shares else []
    shown = rows[-MAX_BARS:]
    if len(shown) < len(rows):
        title = f"{title}, the newest {len(shown)} of {len(rows)} {unit}s: {shown[0][0]} to {shown[-1][0]}"
    elif len(shown) > LABELLED_BARS:
        title = f"{title}: {shown[0][0]} to {shown[-1][0]}"
    rows = shown
    tallest = max((sum(values) for _, values in rows), default=0)
    top = tallest or 1
    slot = (WIDTH - AXIS_WIDTH) / max(len(rows), 1)
    bars = []
    for index, (label, values) in enumerate(rows):
        y = float(BAR_AREA_HEIGHT)
        segments = []
        for name, value, height in zip(series, values, segment_heights(values, top)):
            y -= height
            segments.append((name, value, round(y, 2), round(height, 2)))
        # Too many months to label each: January says where each year starts.
        tick = unit == "month" and label.startswith(f"{MONTH_TICK} ")
        bars.append(Bar(label, round(AXIS_WIDTH + index * slot + slot * 0.15, 2), round(slot * 0.7, 2),
                        tuple(segments), tick, notes[index] if notes else ""))
    step = grid_step(top)
    grid = tuple(GridLine(value, round(BAR_AREA_HEIGHT - (BAR_AREA_HEIGHT - TOP_ROOM) * value / top, 2))
                 for value in range(step, tallest + 1, step))
    return BarChart(title, series, tuple(bars), grid, unit, note_heading if notes else "",
                    share_line(bars, shares), until)


def segment_heights(values: Sequence[int], top: int) -> list[float]:
    """Each segment's height in a bar of `values` on a scale whose `top` is the chart's tallest bar: in
    proportion, but a segment above zero at least MIN_SEGMENT_HEIGHT, taken from the bar's largest segment so
    that the bar stays as tall as its total."""
    heights = [(BAR_AREA_HEIGHT - TOP_ROOM) * value / top for value in values]
    raised = [max(height, MIN_SEGMENT_HEIGHT) if value else 0.0 for value, height in zip(values, heights)]
    largest = heights.index(max(heights))
    spare = heights[largest] - MIN_SEGMENT_HEIGHT
    added = sum(raised) - sum(heights)
    if 0 < added <= spare:
        raised[largest] -= added
        return raised
    return heights  # a bar too short to give any: as it is


def share_line(bars: Sequence[Bar], shares: Sequence[float | None]) -> ShareLine | None:
    """The line through each bar's share, at the middle of the bar, broken where a bar has none (a month without
    a dump is no month in which the topic vanished); None without a share above zero."""
    known = [share for share in shares if share is not None]
    highest = max(known, default=0.0)
    if highest <= 0:
        return None
    runs: list[list[str]] = [[]]
    for bar, share in zip(bars, shares):
        if share is None:
            runs.append([])
            continue
        height = (BAR_AREA_HEIGHT - TOP_ROOM) * share / highest
        runs[-1].append(f"{round(bar.x + bar.width / 2, 2)},{round(BAR_AREA_HEIGHT - height, 2)}")
    peak = bars[shares.index(highest)]
    return ShareLine(tuple(" ".join(run) for run in runs if run), highest, peak.label,
                     (round(peak.x + peak.width / 2, 2), float(TOP_ROOM)))


def grid_step(top: int) -> int:
    """The smallest round step (1, 2 or 5 times a power of ten, at least 1) with at most GRID_LINES lines from
    it up to `top`: 631 -> 200 (200, 400, 600), 157 -> 50, 3 -> 1."""
    power = 10 ** max(math.floor(math.log10(top / GRID_LINES)), 0) if top > GRID_LINES else 1
    return next(step for step in (power, 2 * power, 5 * power, 10 * power) if top // step <= GRID_LINES)


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True)
class HorizontalChart:
    title: str
    bars: tuple[HorizontalBar, ...]
    width: int = WIDTH
    row_height: int = HORIZONTAL_ROW_HEIGHT
    label_width: int = HORIZONTAL_LABEL_WIDTH

    @property
    def height(self) -> int:
        return self.row_height * len(self.bars) + 4


def horizontal_bars(title: str, rows: Sequence[tuple[str, int]]) -> HorizontalChart:
    """One bar per (label, value) row, in the given order."""
    top = max((value for _, value in rows), default=0) or 1
    span = WIDTH - HORIZONTAL_LABEL_WIDTH - 40
    return HorizontalChart(title, tuple(
        HorizontalBar(label, value, index * HORIZONTAL_ROW_HEIGHT + 2,
                      round(max(span * value / top, 1 if value else 0), 2))
        for index, (label, value) in enumerate(rows)))
