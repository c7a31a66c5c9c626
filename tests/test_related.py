"""Related articles: ranking by rare shared topics, time and words, with a stable tie-break."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import related as related_module
from sitegen.models import Article
from sitegen.opening import lede_words
from sitegen.related import MAX_REOPENED, Corpus, Ranking, related, term_vectors


def article(slug: str, day: int, body: str = "") -> Article:
    return Article(path=Path(f"{slug}.md"), title=slug, slug=slug,
                   date=dt.date(2025, 1, 1) + dt.timedelta(days=day), body=body)


def rank(items: list[tuple[Article, tuple[str, ...]]]) -> list[list[str]]:
    """Related slugs per article, for a corpus given oldest first."""
    timelines: dict[str, list[int]] = {}
    for i, (_, topics) in enumerate(items):
        for slug in topics:
            timelines.setdefault(slug, []).append(i)
    corpus = Corpus([a for a, _ in items], [t for _, t in items])
    return [[items[j][0].slug for j in best] for best in related(corpus, timelines)]


def test_rare_shared_topic_outranks_common_one() -> None:
    common = [(article(f"filler-{i}", i), ("politics",)) for i in range(6)]
    items = [*common,
             (article("subject", 10), ("politics", "border-talks")),
             (article("same-story", 11), ("border-talks",)),
             (article("same-beat", 12), ("politics",))]
    result = rank(items)
    assert result[6][:2] == ["same-story", "same-beat"]


def test_unrelated_articles_are_never_suggested() -> None:
    items = [(article("a", 0), ("x",)), (article("b", 1), ("x",)), (article("c", 2), ("y",))]
    assert rank(items) == [["b"], ["a"], []]


def test_ties_go_to_the_newer_article_then_the_url() -> None:
    # "before" and "after" are equally far in time and share the same topic: the newer wins.
    items = [(article("before", 0), ("t",)), (article("middle", 5), ("t",)),
             (article("after", 10), ("t",))]
    assert rank(items)[1] == ["after", "before"]
    # Same day, same score: the URL decides.
    twins = [(article("b-twin", 1), ("t",)), (article("a-twin", 1), ("t",)),
             (article("hub", 0), ("t",))]
    assert rank(twins)[2] == ["a-twin", "b-twin"]


def test_shared_words_break_a_topic_tie() -> None:
    # Equally far in time, so without the words the newer "plain" would come first.
    items = [(article("similar", 0, "glacier melt warning"), ("t",)),
             (article("subject", 5, "glacier melt glacier flood"), ("t",)),
             (article("plain", 10, "weather report rain"), ("t",))]
    assert rank(items)[1] == ["similar", "plain"]


def test_term_vectors_are_unit_length_and_skip_numbers() -> None:
    bodies = ["glacier melt 2025 glacier", "rain rain report", "melt"]
    vectors = term_vectors([Counter(lede_words(body)) for body in bodies])
    assert "2025" not in vectors[0]
    assert abs(sum(w * w for w in vectors[0].values()) - 1) < 1e-9


WORDS = ["glacier", "melt", "flood", "rain", "report", "border", "talks", "vote", "court",
         "fire", "storm", "market", "strike", "river", "bridge"]
bodies = st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join)


def _random_archive(data: st.DataObject, most: int
                    ) -> tuple[list[Article], list[tuple[str, ...]], dict[str, list[int]]]:
    """Articles (three a day, short bodies of shared words), their topics, and the
    topics' timelines: small windows and many shared words, where mistakes show."""
    size = data.draw(st.integers(2, most), label="articles")
    topics = [tuple(data.draw(st.lists(st.sampled_from("abc"), max_size=2, unique=True)))
              for _ in range(size)]
    articles = [article(f"a{i:02d}", i // 3, data.draw(bodies)) for i in range(size)]
    timelines: dict[str, list[int]] = {}
    for i, slugs in enumerate(topics):
        for slug in slugs:
            timelines.setdefault(slug, []).append(i)
    return articles, topics, timelines


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_reopened_ranking_equals_ranking_the_edited_corpus(data: st.DataObject) -> None:
    """`sitegen serve` re-ranks only what a body edit can change; the result must be
    exactly a fresh ranking of the edited archive (windows are small, words shared)."""
    articles, topics, timelines = _random_archive(data, 40)
    size = len(articles)
    ranking = Ranking(Corpus(articles, topics), timelines, editable=True)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        edited = data.draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=3))
        changed = {i: dataclasses.replace(articles[i], body=data.draw(bodies)) for i in edited}
        articles = [changed.get(i, a) for i, a in enumerate(articles)]
        ranking = ranking.reopened(changed)
        assert ranking.best == related(Corpus(articles, topics), timelines)


def test_a_stored_ranking_is_used_only_while_every_input_is_the_same(tmp_path: Path) -> None:
    def corpus_of(opening: str, tail: str) -> tuple[Corpus, dict[str, list[int]]]:
        items = [article("subject", 10, f"{opening} {'x' * 1000} {tail}"),
                 article("glacier", 0, "glacier melt warning"),
                 article("harbour", 20, "harbour strike talks")]
        return Corpus(items, [("t",)] * 3), {"t": [0, 1, 2]}

    first = Ranking.stored(*corpus_of("glacier melt warning", "end"), tmp_path)
    assert first.best == related(*corpus_of("glacier melt warning", "end"))
    assert first.best[0][0] == 1
    # A change after the opening reads nothing new: the stored ranking is right.
    assert Ranking.stored(*corpus_of("glacier melt warning", "other end"),
                          tmp_path).best == first.best
    # A change in the opening is re-ranked from the kept indices.
    moved = corpus_of("harbour strike talks", "end")
    again = Ranking.stored(*moved, tmp_path)
    assert again.best == related(*moved) != first.best


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_stored_ranking_follows_edits_to_openings(data: st.DataObject) -> None:
    """A build after edits within openings re-ranks the kept ranking (`reopened`); the
    result is always a fresh ranking of the edited archive, also over several builds."""
    articles, topics, timelines = _random_archive(data, 30)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        assert Ranking.stored(Corpus(articles, topics), timelines, root).best == related(
            Corpus(articles, topics), timelines)
        for _ in range(data.draw(st.integers(1, 3), label="builds")):
            edited = data.draw(st.sets(st.integers(0, len(articles) - 1), max_size=3))
            articles = [dataclasses.replace(a, body=data.draw(bodies)) if i in edited else a
                        for i, a in enumerate(articles)]
            corpus = Corpus(articles, topics)
            assert Ranking.stored(corpus, timelines, root).best == related(corpus, timelines)


def test_an_edit_to_one_opening_re_ranks_only_what_it_can_move(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranked in this process (fewer articles than a pool is started for), so counted."""
    words = ["glacier", "melt", "flood", "rain", "report", "border", "talks", "vote"]
    articles = [article(f"a{i:03d}", i, f"{words[i % 8]} {words[(i * 3) % 8]} story")
                for i in range(150)]
    topics = [("t",)] * 150
    timelines = {"t": list(range(150))}
    Ranking.stored(Corpus(articles, topics), timelines, tmp_path)
    ranked: list[int] = []
    rank = related_module._Ranker.rank

    def counted(self: related_module._Ranker, i: int) -> tuple[int, ...]:
        ranked.append(i)
        return rank(self, i)

    monkeypatch.setattr(related_module._Ranker, "rank", counted)
    articles[75] = dataclasses.replace(articles[75], body="harbour strike story")
    corpus = Corpus(articles, topics)
    again = Ranking.stored(corpus, timelines, tmp_path).best
    assert 75 in ranked and len(ranked) < 40
    assert again == related(corpus, timelines)


def _stored_equals_fresh(corpus: Corpus, timelines: dict[str, list[int]], root: Path) -> None:
    assert Ranking.stored(corpus, timelines, root).best == related(corpus, timelines)


def test_a_stored_ranking_is_never_trusted_when_what_it_read_changed(tmp_path: Path) -> None:
    """Topics, dates, articles added: the kept ranking and indices are not used; a cache
    file damaged or from another build is never trusted either."""
    words = ["glacier", "melt", "flood", "rain", "report", "border", "talks", "vote"]
    articles = [article(f"a{i:02d}", i, f"{words[i % 8]} {words[(i * 3) % 8]}")
                for i in range(40)]
    topics = [("t",) if i % 3 else ("u",) for i in range(40)]

    def timelines_of(topics: list[tuple[str, ...]]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, slugs in enumerate(topics):
            for slug in slugs:
                out.setdefault(slug, []).append(i)
        return out

    _stored_equals_fresh(Corpus(articles, topics), timelines_of(topics), tmp_path)
    topics[5] = ("u",)  # a topic changed, openings the same
    _stored_equals_fresh(Corpus(articles, topics), timelines_of(topics), tmp_path)
    articles[7] = dataclasses.replace(articles[7], date=articles[7].date + dt.timedelta(1))
    _stored_equals_fresh(Corpus(articles, topics), timelines_of(topics), tmp_path)
    articles.append(article("a99", 99, "glacier flood"))
    topics.append(("t",))
    _stored_equals_fresh(Corpus(articles, topics), timelines_of(topics), tmp_path)
    for kept in (tmp_path / ".sitegen-cache").glob("related*.pickle"):
        kept.write_bytes(kept.read_bytes()[:-10] + b"0123456789")
    articles[3] = dataclasses.replace(articles[3], body="harbour strike")
    _stored_equals_fresh(Corpus(articles, topics), timelines_of(topics), tmp_path)


def test_many_changed_openings_are_ranked_anew(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [article(f"a{i:03d}", i, f"word{i % 7} story") for i in range(150)]
    topics = [("t",)] * 150
    timelines = {"t": list(range(150))}
    Ranking.stored(Corpus(articles, topics), timelines, tmp_path)
    reopened: list[int] = []
    monkeypatch.setattr(Ranking, "reopened", lambda self, *a: reopened.append(1))
    articles = [dataclasses.replace(a, body=f"other{i % 5} story") if i <= MAX_REOPENED
                else a for i, a in enumerate(articles)]
    _stored_equals_fresh(Corpus(articles, topics), timelines, tmp_path)
    assert reopened == []


def test_one_article_more_using_a_common_word_leaves_its_idf() -> None:
    """Rounded idf: a df that moves by one changes a common word's idf seldom (so other
    articles' vectors stay) and a rare word's always (so rarity still counts)."""
    idf = related_module.word_idf
    assert idf(10_000, 2833) == idf(10_000, 2832)
    assert idf(10_000, 2) != idf(10_000, 1)
    assert idf(10_000, 1) > idf(10_000, 50) > idf(10_000, 2833) > idf(10_000, 10_000) == 0


def test_moved_tells_which_lists_an_opening_edit_changes(tmp_path: Path) -> None:
    """sitegen.quick's check, from the kept ranking alone: a new word in one opening
    changes its vector (its idf is that article's alone), not the order of any list;
    an opening that now matches another's moves lists, which it names."""
    articles = [article("a0", 0, "glacier melt"), article("a1", 1, "glacier melt"),
                article("a2", 2, "harbour strike")]
    timelines = {"t": [0, 1, 2]}
    kept = Ranking.stored(Corpus(articles, [("t",)] * 3), timelines, tmp_path)
    assert kept.token is not None
    edited = dataclasses.replace(articles[1], body="glacier melt tale")
    vectors = term_vectors([Counter(lede_words(a.body)) for a in (*articles, edited)])
    assert vectors[1] != vectors[3]
    assert related_module.moved(tmp_path, kept.token, {1: edited}, {}) == {}
    assert related_module.moved(tmp_path, "another build", {1: edited}, {}) is None
    closer = dataclasses.replace(articles[2], body="glacier melt")  # a2 now matches a0
    after = related(Corpus([articles[0], articles[1], closer], [("t",)] * 3), timelines)
    assert related_module.moved(tmp_path, kept.token, {2: closer}, {}) is None  # idf moved
    others = {i: a.body for i, a in enumerate(articles)}

    def bodies(indices: Sequence[int]) -> dict[int, str]:
        return {i: others[i] for i in indices}

    moves = related_module.moved(tmp_path, kept.token, {2: closer}, {}, bodies)
    assert moves and moves == {i: (kept.best[i], after[i]) for i in range(3)
                               if after[i] != kept.best[i]}
    # Once the pages show the new lists, the same edit moves none; undone, it moves
    # them back, though the kept ranking has them as they were.
    shown = {i: now for i, (_, now) in moves.items()}
    assert related_module.moved(tmp_path, kept.token, {2: closer}, shown, bodies) == {}
    assert related_module.moved(tmp_path, kept.token, {2: articles[2]}, shown, bodies) == {
        i: (now, was) for i, (was, now) in moves.items()}


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_moved_is_never_wrong(data: st.DataObject) -> None:
    """Whenever `moved` answers, its lists are a fresh ranking's of the edited archive,
    and they are all the lists that differ from the pages; it answers whenever it can
    read the bodies it asks for, and without them whenever no word's idf moved."""
    articles, topics, timelines = _random_archive(data, 30)
    with tempfile.TemporaryDirectory() as folder:
        kept = Ranking.stored(Corpus(articles, topics), timelines, Path(folder))
        assert kept.token is not None
        edited = data.draw(st.sets(st.integers(0, len(articles) - 1), min_size=1,
                                   max_size=3), label="edited")
        changed = {i: dataclasses.replace(articles[i], body=data.draw(bodies)) for i in edited}
        after = [changed.get(i, a) for i, a in enumerate(articles)]
        fresh = related(Corpus(after, topics), timelines)
        asked: list[int] = []

        def given_bodies(indices: Sequence[int]) -> dict[int, str]:
            assert not set(indices) & edited  # the edited ones it has
            asked.extend(indices)
            return {i: articles[i].body for i in indices}

        expected = {i: (kept.best[i], fresh[i]) for i in range(len(articles))
                    if fresh[i] != kept.best[i]}
        assert related_module.moved(Path(folder), kept.token, changed, {},
                                    given_bodies) == expected
        alone = related_module.moved(Path(folder), kept.token, changed, {})
        assert alone in (None, expected)
        assert (alone is None) is (_idf_moved(articles, after) and bool(asked))


def _idf_moved(before: list[Article], after: list[Article]) -> bool:
    """Whether the rounded idf of a word that unchanged articles use differs."""
    def df(items: list[Article]) -> Counter[str]:
        return Counter(w for a in items for w in set(lede_words(a.body)))

    old, new = df(before), df(after)
    users = {w for a, b in zip(before, after, strict=True) if a == b
             for w in lede_words(a.body)}
    return any(related_module.word_idf(len(before), old[w])
               != related_module.word_idf(len(after), new[w]) for w in users)


def test_the_character_after_the_opening_counts_for_a_stored_ranking(tmp_path: Path) -> None:
    """It tells whether the opening's last word is cut: an edit there alone changes
    the words, so the kept ranking must not be taken as it is."""
    cut, whole = "word " * 199 + "tailsend", "word " * 199 + "tails end"
    assert cut[:1000] == whole[:1000]

    def corpus_of(body: str) -> tuple[Corpus, dict[str, list[int]]]:
        items = [article("a", 0, body), article("b", 1, "tails tails"),
                 article("c", 2, "other")]
        return Corpus(items, [(), (), ()]), {}

    first = Ranking.stored(*corpus_of(cut), tmp_path)
    assert first.best == related(*corpus_of(cut))
    again = Ranking.stored(*corpus_of(whole), tmp_path)
    assert again.best == related(*corpus_of(whole)) != first.best


VECTORS = [{"flood": 0.8, "rain": 0.6}, {},
           {"rain": 0.6000000000000001, "vote": -0.0, "talks": 1e-300}]


def _items(vectors: Sequence[dict[str, float]]) -> list[list[tuple[str, float]]]:
    return [list(vector.items()) for vector in vectors]  # order and exact weights


def test_packed_vectors_are_the_vectors_they_pack() -> None:
    """The kept indices store term vectors packed (`_PackedVectors`); read back, each
    is the dict it was, words in the same order (ties are broken by it), and a vector
    set in a copy (an edit's) is kept with it, and not in the original."""
    packed = pickle.loads(pickle.dumps(related_module._PackedVectors(VECTORS)))
    assert len(packed) == 3 and _items(packed) == _items(VECTORS)
    with pytest.raises(IndexError):
        packed[3]
    edited = packed.copy()
    edited[1] = {"harbour": 1.0}
    assert _items(pickle.loads(pickle.dumps(edited))) == _items(
        [VECTORS[0], {"harbour": 1.0}, VECTORS[2]])
    assert _items(packed) == _items(VECTORS)
