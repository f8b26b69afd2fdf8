"""Speed sparren: askers move a chair each round, partners stay, an odd group makes one trio."""

from collections import Counter

import pytest

from sessions_app.pairing import Pair, pair_of, pairs_for

SIZES = range(2, 10)
ROUNDS = (1, 2, 3)


def people(n: int) -> list[int]:
    return [100 + i for i in range(n)]  # ids in join order, not 0..n-1 on purpose


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("round_no", ROUNDS)
@pytest.mark.parametrize("n", SIZES)
def test_everyone_is_in_exactly_one_pair_or_trio_each_round(n, round_no, swapped):
    pairs = pairs_for(people(n), round_no, swapped)
    seen = Counter(m for p in pairs for m in p.members)
    assert set(seen) == set(people(n))
    assert set(seen.values()) == {1}
    assert len(pairs) == n // 2


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("round_no", ROUNDS)
@pytest.mark.parametrize("n", SIZES)
def test_an_odd_group_makes_exactly_one_trio_and_an_even_group_none(n, round_no, swapped):
    pairs = pairs_for(people(n), round_no, swapped)
    trios = [p for p in pairs if p.is_trio]
    assert len(trios) == n % 2
    assert all(len(p.members) == 2 for p in pairs if not p.is_trio)


@pytest.mark.parametrize("round_no", ROUNDS)
@pytest.mark.parametrize("n", SIZES)
def test_the_first_half_asks_and_the_second_half_spars(n, round_no):
    ids = people(n)
    pairs = pairs_for(ids, round_no, swapped=False)
    assert sorted(a for p in pairs for a in p.askers) == ids[: n // 2]
    assert sorted(s for p in pairs for s in p.partners) == ids[n // 2 :]
    assert all(len(p.askers) == 1 for p in pairs)


@pytest.mark.parametrize("round_no", ROUNDS)
@pytest.mark.parametrize("n", SIZES)
def test_swapping_gives_the_second_half_the_questions(n, round_no):
    ids = people(n)
    pairs = pairs_for(ids, round_no, swapped=True)
    assert sorted(a for p in pairs for a in p.askers) == ids[n // 2 :]
    assert sorted(s for p in pairs for s in p.partners) == ids[: n // 2]
    assert all(len(p.partners) == 1 for p in pairs)


@pytest.mark.parametrize("n", SIZES)
def test_everyone_asks_in_one_half_of_the_method(n):
    ids = people(n)
    asked = Counter(
        a for swapped in (False, True) for p in pairs_for(ids, 1, swapped) for a in p.askers
    )
    assert asked == Counter(ids)


def test_in_the_first_rounds_the_trio_has_one_asker_and_two_sparring_partners():
    pairs = pairs_for(people(5), 1, swapped=False)
    (trio,) = [p for p in pairs if p.is_trio]
    assert len(trio.askers) == 1 and len(trio.partners) == 2
    assert 104 in trio.partners  # the last to join is the extra sparring partner


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("n", [6, 7, 8, 9])
def test_three_rounds_give_every_asker_three_different_partners(n, swapped):
    ids = people(n)
    met: dict[int, set] = {}
    for round_no in ROUNDS:
        for pair in pairs_for(ids, round_no, swapped):
            for asker in pair.askers:
                met.setdefault(asker, set()).add(pair.partners)
    assert all(len(partners) == 3 for partners in met.values())


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("n", [6, 7, 8, 9])
def test_sparring_partners_keep_their_chair_and_askers_move_one_along(n, swapped):
    ids = people(n)
    rounds = [pairs_for(ids, r, swapped) for r in ROUNDS]
    chairs = len(rounds[0])
    for before, after in zip(rounds, rounds[1:], strict=False):
        assert [p.partners for p in before] == [p.partners for p in after]
        for chair in range(chairs):
            assert after[(chair + 1) % chairs].askers[0] == before[chair].askers[0]


@pytest.mark.parametrize("n", SIZES)
def test_after_the_silence_roles_swap_with_the_person_opposite_you(n):
    ids = people(n)
    last = pairs_for(ids, 3, swapped=False)
    first_swapped = pairs_for(ids, 1, swapped=True)
    assert [set(p.members) for p in first_swapped] == [set(p.members) for p in last]
    for before, after in zip(last, first_swapped, strict=True):
        assert before.askers[0] in after.partners  # who asked now spars, on the same chair


def test_in_the_swapped_rounds_the_trio_is_the_extra_person_asking_with_the_last_asker():
    ids = people(7)  # first half 100-102, second half 103-105, extra 106
    for round_no in ROUNDS:
        (trio,) = [p for p in pairs_for(ids, round_no, swapped=True) if p.is_trio]
        assert trio.askers == (105, 106) and len(trio.partners) == 1


def test_in_the_smallest_group_the_same_two_meet_every_round():
    assert {pairs_for([1, 2], r, False)[0] for r in ROUNDS} == {Pair(askers=(1,), partners=(2,))}
    assert pairs_for([1, 2], 1, True) == [Pair(askers=(2,), partners=(1,))]


def test_a_trio_of_three_swaps_into_two_askers_with_one_partner():
    assert pairs_for([1, 2, 3], 1, False) == [Pair(askers=(1,), partners=(2, 3))]
    assert pairs_for([1, 2, 3], 2, True) == [Pair(askers=(2, 3), partners=(1,))]


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_people_make_no_pairs(n):
    assert pairs_for(people(n), 1, False) == []
    assert pairs_for(people(n), 1, True) == []


def test_pairing_is_deterministic():
    ids = people(7)
    assert pairs_for(ids, 2, True) == pairs_for(list(ids), 2, True)


def test_each_person_learns_who_they_are_with():
    pairs = pairs_for(people(5), 1, swapped=False)
    trio = pair_of(pairs, 104)
    assert trio is not None and trio.others(104) == (101, 103)
    assert trio.others(101) == (103, 104)  # the asker hears their partners first
    assert not trio.asks(104) and trio.asks(101)
    assert pair_of(pairs, 999) is None
