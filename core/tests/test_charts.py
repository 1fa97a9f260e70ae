"""core.charts: whole-number ticks for counts, labels wrapped instead of cut."""

from core.charts import Series, bar_chart, wrap_label


def _ticks(values, **kwargs):
    chart = bar_chart("T", ["a"] * len(values), [Series("S", "green", values)], **kwargs)
    return [tick.label for tick in chart.ticks]


def test_counts_have_whole_number_ticks():
    assert _ticks([1], counts=True) == ["0", "1"]
    assert _ticks([3, 1], counts=True) == ["0", "1", "2", "3"]
    assert _ticks([7], counts=True) == ["0", "2", "4", "6", "8"]
    assert _ticks([24], counts=True) == ["0", "5", "10", "15", "20", "25"]
    for top in range(1, 60):
        labels = _ticks([top], counts=True)
        assert all(label.isdigit() for label in labels), (top, labels)
        assert int(labels[-1]) >= top and len(labels) <= 6
    # Amounts keep their round fractions.
    assert _ticks([1], counts=False) == ["0", "0,2", "0,5", "0,8", "1"]


def test_a_long_label_is_wrapped_not_cut():
    chart = bar_chart(
        "T",
        ["Lokal", "National / fælleskommunal", "Tværkommunal", "Tværgående"],
        [Series("S", "green", [1, 2, 3, 1])],
        counts=True,
    )
    national = chart.labels[1]
    assert national.full == "National / fælleskommunal"
    assert national.lines == ["National /", "fælleskommunal"]
    assert chart.labels[0].lines == ["Lokal"]
    assert wrap_label("Et meget langt navn på en kategori", 10) == ["Et meget", "langt nav…"]
