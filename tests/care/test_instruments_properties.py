"""Invariants of the scoring engine over every instrument (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import INSTRUMENTS, Instrument, Item, score

IDS = list(INSTRUMENTS)


def valid_value(item: Item) -> st.SearchStrategy[int | None]:
    if item.options:
        values: st.SearchStrategy[int | None] = st.sampled_from(item.allowed_values)
    else:
        values = st.integers(item.minimum or 0, item.maximum or 0)
    return st.one_of(values, st.none()) if item.optional else values


def valid_vector(instrument: Instrument) -> st.SearchStrategy[list[int | None]]:
    return st.tuples(*(valid_value(item) for item in instrument.items)).map(list)


def invalid_value(item: Item) -> st.SearchStrategy[object]:
    """Values the item must refuse: out of range, in a gap, wrong type, or missing."""
    low, high = item.lowest, item.highest
    wrong: list[st.SearchStrategy[object]] = [
        st.integers(max_value=low - 1),
        st.integers(min_value=high + 1),
        st.booleans(),
        st.floats(allow_nan=True).filter(lambda f: f != f or not f.is_integer()),
        st.text(alphabet="abcxyz ,.", min_size=1).filter(lambda s: s.strip() != ""),
        st.lists(st.integers(0, 3), max_size=2),
    ]
    gaps = sorted(set(range(low, high + 1)) - set(item.allowed_values)) if item.options else []
    if gaps:
        wrong.append(st.sampled_from(gaps))
    if not item.optional:
        wrong.append(st.none())
    return st.one_of(*wrong)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), instrument_id=st.sampled_from(IDS))
def test_any_valid_vector_scores_in_range_and_one_band(
    data: st.DataObject, instrument_id: str
) -> None:
    instrument = INSTRUMENTS[instrument_id]
    answers = data.draw(valid_vector(instrument))
    result = score(instrument_id, answers)
    assert result.min <= result.total <= result.max
    assert result.total == sum(
        value for item, value in zip(instrument.items, answers, strict=True)
        if item.scored and value is not None
    )
    if instrument.bands:
        holding = [b for b in instrument.bands if b.low <= result.total <= b.high]
        assert holding == [result.band]
    else:
        assert result.band is None
    assert [i.value for i in result.items] == answers


@settings(max_examples=80, deadline=None)
@given(data=st.data(), instrument_id=st.sampled_from(IDS))
def test_any_vector_with_one_invalid_answer_is_refused_naming_that_item(
    data: st.DataObject, instrument_id: str
) -> None:
    instrument = INSTRUMENTS[instrument_id]
    answers: list[object] = list(data.draw(valid_vector(instrument)))
    position = data.draw(st.integers(0, len(answers) - 1))
    item = instrument.items[position]
    answers[position] = data.draw(invalid_value(item))
    with pytest.raises(InvalidInput) as caught:
        score(instrument_id, answers)
    assert caught.value.field == item.id
    assert f"item {item.number} ({item.id})" in str(caught.value)
    assert item.describe_allowed() in str(caught.value)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), instrument_id=st.sampled_from(IDS))
def test_wrong_count_is_refused_naming_an_item(data: st.DataObject, instrument_id: str) -> None:
    instrument = INSTRUMENTS[instrument_id]
    required = sum(1 for item in instrument.items if not item.optional)
    count = data.draw(
        st.integers(0, len(instrument.items) + 3).filter(
            lambda n: not required <= n <= len(instrument.items)
        )
    )
    answers = [instrument.items[min(i, len(instrument.items) - 1)].lowest for i in range(count)]
    with pytest.raises(InvalidInput) as caught:
        score(instrument_id, answers)
    assert "item" in caught.value.message and str(len(instrument.items)) in caught.value.message


@settings(max_examples=40, deadline=None)
@given(answers=st.lists(st.sampled_from([0, 1]), min_size=11, max_size=11))
def test_medical_supervision_only_drops_tolerance_and_withdrawal(answers: list[int]) -> None:
    plain = score("sud", answers)
    supervised = score("sud", answers, medically_supervised=True)
    assert supervised.total == plain.total - answers[9] - answers[10]
    assert supervised.max == 9 and supervised.band is not None
