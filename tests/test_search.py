"""`canvas search`: the query language, ranking, filters, output, and the index behind it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import generate_library
from canvascli.analyse.search import Snippet, Term, _relative_paths, parse_query
from canvascli.store.index import (
    SearchRequest,
    SearchSection,
    index_path,
    search_in_memory,
    summary_from_columns,
)
from tests.conftest import POSTS
from tests.helpers import Process, Run, ok

FIXTURES = Path(__file__).resolve().parent / "data" / "posts"
FTS_SYNTAX = ['"', "*", "^", ":", "(", ")", "-", "+", "{", "}", "AND", "OR", "NOT", "NEAR", ","]


def search_json(run: Run, *args: str) -> Any:
    return json.loads(ok(run("search", *args, "--json")).stdout)


def write_post(
    folder: Path, name: str, title: str, blocks: dict[str, str], front: str = ""
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f"### {heading}\n\n{text}\n\n" for heading, text in blocks.items())
    path = folder / name
    path.write_text(
        f"---\ntitle: {name.removesuffix('.md')}\n{front}---\n\n# Business Model of {title}\n\n"
        + body,
        encoding="utf-8",
    )
    return path


# The query language ------------------------------------------------------------------


def test_plain_words_are_each_quoted_and_must_all_match() -> None:
    query = parse_query("financial services")
    assert query.terms == (Term("financial"), Term("services"))
    assert query.fts() == '"financial" "services"'


def test_a_quoted_phrase_is_one_term() -> None:
    assert parse_query('"financial  services" banks').terms == (
        Term("financial services"),
        Term("banks"),
    )


def test_a_trailing_star_makes_a_prefix_term_of_a_word_or_a_phrase() -> None:
    query = parse_query('retail* "financial serv"*')
    assert query.terms == (Term("retail", prefix=True), Term("financial serv", prefix=True))
    assert query.fts() == '"retail" * "financial serv" *'


@pytest.mark.parametrize("word", ["AND", "OR", "NOT", "NEAR", "C++", "a:b", "(x)", "-x", "x^"])
def test_operators_and_punctuation_are_plain_words(word: str) -> None:
    query = parse_query(word)
    assert query.terms == (Term(word),)
    assert query.fts() == '"' + word + '"'


def test_an_unbalanced_quote_is_dropped_and_the_rest_read_as_words() -> None:
    assert parse_query('"financial services').terms == (Term("financial"), Term("services"))
    assert parse_query('banks "financial').terms == (Term("banks"), Term("financial"))


def test_a_quote_inside_a_word_starts_a_phrase() -> None:
    assert parse_query('say"hello world"').terms == (Term("say"), Term("hello world"))


@pytest.mark.parametrize("query", ["-", "*", "^", ":", "( )", '"', '""', "** -- ::", "   "])
def test_a_query_without_letters_or_digits_has_no_terms(query: str) -> None:
    assert parse_query(query).terms == ()


def test_control_characters_and_surrogates_become_spaces() -> None:
    assert parse_query("bank\x00ing \udcff x\x1b").terms == (
        Term("bank"),
        Term("ing"),
        Term("x"),
    )


def test_a_double_quote_inside_a_term_is_escaped_for_fts() -> None:
    assert Term('say "hi"').fts() == '"say ""hi"""'


def test_a_marked_snippet_becomes_plain_text_and_match_spans() -> None:
    snippet = Snippet.from_marked("…the \ue000Key\ue001 \ue000Partner\ue001s\ue000\ue001 list")
    assert snippet.text == "…the Key Partners list"
    assert snippet.matches == ((5, 8), (9, 16))
    assert list(snippet.parts()) == [
        ("…the ", False),
        ("Key", True),
        (" ", False),
        ("Partner", True),
        ("s list", False),
    ]


SAMPLE_SECTIONS = [
    SearchSection("acme", "customer-segments", "Customer Segments", 0, "Banks and C++ shops"),
    SearchSection("acme", None, "Notes", 9, "NEAR the AND gate: (x) -y ^z *"),
]


@given(
    st.lists(st.one_of(st.text(max_size=4), st.sampled_from([*FTS_SYNTAX, " "])), max_size=12).map(
        "".join
    )
)
def test_no_query_ever_makes_an_fts_error(text: str) -> None:
    query = parse_query(text)
    if query.terms:
        search_in_memory([("acme.md", SAMPLE_SECTIONS)], SearchRequest(query.fts()))


def test_a_thousand_words_are_still_one_valid_query() -> None:
    query = parse_query(" ".join(["banks"] * 1000))
    answer = search_in_memory([("acme.md", SAMPLE_SECTIONS)], SearchRequest(query.fts()))
    assert [match.slug for match in answer.matches] == ["acme"]


# Through the `canvas` command ---------------------------------------------------------


def test_financial_services_finds_both_companies_in_customer_segments(run: Run) -> None:
    data = search_json(run, "financial services")
    assert [company["slug"] for company in data] == ["memsql", "violin-memory"]
    for company in data:
        assert "customer-segments" in [hit["key"] for hit in company["hits"]]
    only = search_json(run, "financial services", "--section", "segments")
    assert [[hit["key"] for hit in company["hits"]] for company in only] == [
        ["customer-segments"],
        ["customer-segments"],
    ]


def test_the_terminal_view_groups_hits_under_each_company(run: Run) -> None:
    stdout = ok(run("search", "financial services")).stdout
    assert stdout.index("MemSQL  memsql") < stdout.index("Violin Memory  violin-memory")
    assert "Customer Segments" in stdout and "Financial Services" in stdout
    assert stdout.rstrip().endswith("4 hits in 2 companies")


def test_search_output_matches_the_golden_file(
    run: Run, golden: Callable[[str, str], None]
) -> None:
    golden("search_financial_services_100.txt", ok(run("search", "financial services")).stdout)


def test_matches_are_highlighted_in_a_colour_terminal(run: Run) -> None:
    stdout = ok(
        run("search", "partner", "--company", "memsql", terminal=True, env={"NO_COLOR": ""})
    ).stdout
    assert re.search(r"\x1b\[1(;[0-9]+)*m(\x1b\[[0-9;]*m)*Partner\x1b\[0m", stdout), stdout


def test_json_snippet_spans_point_at_the_matches(run: Run) -> None:
    for query, matched in (
        ("financial services", {"financial", "services", "service"}),
        ('"financial services"', {"financial services"}),
    ):
        data = search_json(run, query)
        spans = [
            hit["snippet"]["text"][start:end].casefold()
            for company in data
            for hit in company["hits"]
            for start, end in hit["snippet"]["matches"]
        ]
        assert spans and set(spans) <= matched
    hit = data[0]["hits"][0]
    assert set(hit) == {"key", "title", "heading", "score", "snippet"}
    assert set(data[0]) == {"slug", "name", "source", "hits"}
    assert hit["score"] > 0


def test_a_phrase_is_stricter_than_its_words(run: Run) -> None:
    words = search_json(run, "storage systems")
    phrase = search_json(run, '"storage systems"')
    assert sum(len(company["hits"]) for company in words) == 2
    assert sum(len(company["hits"]) for company in phrase) == 1


def test_hits_are_ranked_best_first_and_companies_by_their_best_hit(run: Run) -> None:
    data = search_json(run, "customers")
    best = [company["hits"][0]["score"] for company in data]
    assert best == sorted(best, reverse=True)
    for company in data:
        scores = [hit["score"] for hit in company["hits"]]
        assert scores == sorted(scores, reverse=True)


def test_a_prefix_finds_every_word_that_starts_with_it(run: Run) -> None:
    data = search_json(run, "partn*", "--company", "memsql")
    assert [hit["key"] for hit in data[0]["hits"]] == ["key-partners"]
    texts = [hit["snippet"]["text"] for hit in data[0]["hits"]]
    assert "Partner Program" in texts[0]


def test_words_find_their_other_english_forms(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "acme.md", "Acme", {"Customer Segments": "Dentists running clinics."})
    data = search_json(run, "clinic dentist", "--posts", str(tmp_path))
    assert data[0]["hits"][0]["snippet"]["text"] == "Dentists running clinics."


@pytest.mark.parametrize(
    "query", ["C++", '"financial services', "AND", "OR", "NOT", "NEAR", "a:b", "(memsql)", "x^y"]
)
def test_queries_with_fts_syntax_are_searched_as_words(run: Run, query: str) -> None:
    result = run("search", query)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.stderr and "syntax" not in result.stderr


def test_an_unbalanced_quote_still_finds_the_words(run: Run) -> None:
    data = search_json(run, '"financial services')
    assert [company["slug"] for company in data] == ["memsql", "violin-memory"]


@pytest.mark.parametrize("query", ["-", "*", "^", ":", "()", '"'])
def test_a_query_with_nothing_to_search_is_a_usage_error(run: Run, query: str) -> None:
    result = run("search", "--", query)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"canvas: nothing to search for in '{query}': give a word with a letter or digit"
    )


def test_no_hits_is_a_message_and_exit_status_1(run: Run) -> None:
    result = run("search", "zeppelin")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "canvas: no hits for 'zeppelin'"
    filtered = run("search", "tableau", "-s", "segments", "-c", "violin")
    assert filtered.exit_code == 1
    assert filtered.stderr.strip() == (
        "canvas: no hits for 'tableau' in Customer Segments at violin-memory"
    )


def test_no_hits_in_json_is_an_empty_list_and_exit_status_1(run: Run) -> None:
    result = run("search", "zeppelin", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert result.stderr == "canvas: no hits for 'zeppelin'\n"


def test_company_filter_takes_any_company_name(run: Run) -> None:
    for name in ("violin-memory", "Violin Memory", "violin"):
        data = search_json(run, "financial", "--company", name)
        assert [company["slug"] for company in data] == ["violin-memory"]
    both = search_json(run, "financial", "-c", "memsql", "-c", "violin")
    assert {company["slug"] for company in both} == {"memsql", "violin-memory"}


def test_an_unknown_company_is_the_same_error_as_show(run: Run) -> None:
    result = run("search", "banks", "--company", "memsqk")
    assert result.exit_code == 1
    assert result.stderr == run("show", "memsqk").stderr


def test_an_unknown_block_is_a_usage_error(run: Run) -> None:
    result = run("search", "banks", "--section", "weather")
    assert result.exit_code == 2
    assert "no block 'weather'" in result.stderr


def test_limit_counts_hits_in_all_and_says_how_many_there_are(run: Run) -> None:
    everything = search_json(run, "financial services")
    first = search_json(run, "financial services", "--limit", "1")
    assert first == [{**everything[0], "hits": everything[0]["hits"][:1]}]
    stdout = ok(run("search", "financial services", "-n", "2")).stdout
    assert "best 2 of 4 hits shown, in 2 companies; --limit N shows more" in stdout
    none_shown = run("search", "banks", "--limit", "0")
    assert none_shown.exit_code == 2
    assert "Invalid value for '--limit'" in none_shown.stderr


def test_sections_that_map_to_no_block_are_searched_too(run: Run) -> None:
    data = search_json(run, "holiday-park", "--posts", str(FIXTURES))
    assert data[0]["slug"] == "unknown_heading_extra"
    assert data[0]["hits"][0] | {"snippet": None, "score": None} == {
        "key": None,
        "title": "Competitors",
        "heading": "Competitors",
        "score": None,
        "snippet": None,
    }
    stdout = ok(run("search", "holiday-park", "--posts", str(FIXTURES))).stdout
    assert "Competitors" in stdout
    filtered = run("search", "holiday-park", "-s", "segments", "--posts", str(FIXTURES))
    assert filtered.exit_code == 1
    assert filtered.stderr.splitlines()[-1] == (
        "canvas: no hits for 'holiday-park' in Customer Segments"
    )


def test_headings_are_not_searched(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "acme.md", "Acme", {"Key Partners": "Banks.", "Channels": "Shops."})
    result = run("search", "partners", "--posts", str(tmp_path))
    assert (result.exit_code, result.stderr) == (1, "canvas: no hits for 'partners'\n")


def test_unpublished_posts_are_searched_only_when_asked_for(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "live.md", "Live", {"Channels": "Sauna shops."})
    write_post(tmp_path, "draft.md", "Draft", {"Channels": "Sauna fairs."}, "published: false\n")
    for cache in ([], ["--no-cache"]):
        shown = search_json(run, "sauna", "--posts", str(tmp_path), *cache)
        assert [company["slug"] for company in shown] == ["live"]
        every = search_json(run, "sauna", "--posts", str(tmp_path), "--unpublished", *cache)
        assert {company["slug"] for company in every} == {"live", "draft"}


def test_a_post_with_a_taken_slug_is_not_searched(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path / "a", "acme.md", "Acme One", {"Channels": "Kiosks."})
    write_post(tmp_path / "b", "acme.md", "Acme Two", {"Channels": "Kiosks and vans."})
    result = ok(run("search", "kiosks", "--posts", str(tmp_path), "--json"))
    assert [company["name"] for company in json.loads(result.stdout)] == ["Acme One"]
    assert "slug 'acme' is already used" in result.stderr


def test_post_text_in_snippets_is_never_markup_nor_raw_control_codes(
    run: Run, tmp_path: Path
) -> None:
    write_post(
        tmp_path,
        "evil.md",
        "Evil",
        {"Channels": "Kiosks [bold red]sell[/x] \x1b[2J now\x07 \ue000here\ue001 kiosk."},
    )
    stdout = ok(run("search", "kiosks", "--posts", str(tmp_path), terminal=True)).stdout
    assert "[bold red]sell[/x]" in stdout
    assert "\x1b[2J" not in stdout and "\x07" not in stdout
    assert "␛[2J" in stdout
    data = search_json(run, "kiosk", "--posts", str(tmp_path))
    snippet = data[0]["hits"][0]["snippet"]
    assert "\ufffdhere\ufffd" in snippet["text"]
    assert [snippet["text"][start:end] for start, end in snippet["matches"]] == [
        "Kiosks",
        "kiosk",
    ]


def test_search_without_fts5_fails_with_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("canvascli.store.index.FTS_MODULE", "no_such_fts_module")
    result = run("search", "banks")
    assert result.exit_code == 1
    assert result.stderr == (
        "canvas: search needs SQLite full-text search (FTS5), which the sqlite3 module of "
        "this Python lacks\n"
    )


def test_search_help_has_an_example(run: Run) -> None:
    stdout = ok(run("search", "--help")).stdout
    assert 'canvas search "financial services"' in stdout


# The index: same answers as without it, kept in step, and never paid for by `list` ---


QUERIES = [
    ["financial services"],
    ['"financial services"'],
    ["platform*", "--limit", "7"],
    ["customers", "--section", "segments", "--section", "costs"],
    ["subscriptions", "--company", "acme-data-0", "--company", "globex-data-1"],
    ["revenue AND research"],
    ["the", "--limit", "1000"],
]


Search = Callable[..., Any]


@pytest.fixture
def search(run: Run) -> Search:
    """Search a library in-process, with this test's own cache folder."""

    def invoke(folder: Path, *args: str) -> Any:
        result = run("search", *args, "--posts", str(folder), "--json")
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)

    return invoke


def every_search(search: Search, folder: Path, *extra: str) -> list[Any]:
    return [search(folder, *query, *extra) for query in QUERIES]


def cache_folder() -> Path:
    return Path(os.environ["CANVASCLI_CACHE_DIR"])


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "_posts"
    generate_library(folder, 40)
    return folder


def test_the_same_hits_in_the_same_order_with_and_without_the_index(
    search: Search, library: Path
) -> None:
    cold = every_search(search, library)
    warm = every_search(search, library)
    uncached = every_search(search, library, "--no-cache")
    assert cold == warm == uncached
    assert all(cold), "every query should find something in the generated library"
    assert len(cold[0]) > 10


def test_the_fixtures_give_the_same_hits_with_and_without_the_index(search: Search) -> None:
    for query in (["cottages"], ["customer*"], ["booking site"], ["the"], ["platform*"]):
        for extra in ([], ["--unpublished"]):
            indexed = search(FIXTURES, *query, *extra)
            assert indexed == search(FIXTURES, *query, *extra, "--no-cache"), query
            assert indexed, query


def test_the_index_follows_new_changed_removed_and_unpublished_posts(
    search: Search, library: Path, tmp_path: Path
) -> None:
    every_search(search, library)
    named_in_queries = ("acme-data-0", "globex-data-1")
    posts = [
        path for path in sorted(library.glob("*.md")) if not path.stem.endswith(named_in_queries)
    ]
    posts[0].unlink()
    posts[1].rename(library / "renamed-company.md")
    text = posts[2].read_text(encoding="utf-8")
    posts[2].write_text(text + "\nXylophones everywhere.\n", encoding="utf-8")
    posts[3].write_text(
        posts[3].read_text(encoding="utf-8").replace("layout: post", "published: false"), "utf-8"
    )
    shutil.copy(generate_library(tmp_path / "more", 41)[40], library)
    xylophones = search(library, "xylophones")
    assert [company["slug"] for company in xylophones] == [posts[2].name[11:-3]]
    for extra in ([], ["--unpublished"], []):
        indexed = every_search(search, library, *extra)
        assert indexed == every_search(search, library, *extra, "--no-cache")
        slugs = {company["slug"] for result in indexed for company in result}
        assert {"renamed-company", "soylent-labs-40"} <= slugs
        assert posts[0].name[11:-3] not in slugs
        assert (posts[3].name[11:-3] in slugs) == (extra == ["--unpublished"])


def test_a_post_edited_twice_in_one_second_is_searched_afresh(
    search: Search, library: Path
) -> None:
    post = sorted(library.glob("*.md"))[0]
    original = post.read_text(encoding="utf-8")
    stamp = post.stat().st_mtime_ns
    assert search(library, "zales") == []
    edited = original.replace("Sales", "Zales")
    assert len(edited) == len(original) and edited != original
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(stamp, stamp))
    found = search(library, "zales")
    assert found == search(library, "zales", "--no-cache")
    assert [company["slug"] for company in found] == ["acme-data-0"]


def search_tables(library: Path) -> set[str]:
    with sqlite3.connect(index_path(library, cache_folder())) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search%'")
        return {str(name) for (name,) in rows}


def test_listing_a_library_builds_no_full_text_index(
    run: Run, search: Search, library: Path
) -> None:
    ok(run("list", "--posts", str(library)))
    assert search_tables(library) == set()
    search(library, "customers")
    assert {"search_text", "search_sections", "search_posts"} <= search_tables(library)


def test_a_rebuilt_index_rebuilds_the_full_text_rows(search: Search, library: Path) -> None:
    expected = every_search(search, library)
    with sqlite3.connect(index_path(library, cache_folder())) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        connection.execute("UPDATE search_sections SET heading = 'tampered', block = NULL")
    assert every_search(search, library) == expected


def test_an_unusable_cache_folder_still_searches(
    run: Run, search: Search, library: Path, unusable_cache: dict[str, str]
) -> None:
    result = run(
        "search",
        "customers",
        "--posts",
        str(library),
        "--json",
        env=unusable_cache,
    )
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 1
    assert "running without the index" in result.stderr
    assert json.loads(result.stdout) == search(library, "customers")


@pytest.mark.e2e
def test_the_bundled_library_through_the_installed_command(canvas_process: Process) -> None:
    result = canvas_process("search", "financial services", "--section", "segments")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "MemSQL  memsql"
    assert lines[1].startswith("  Customer Segments ")
    assert "Violin Memory  violin-memory" in lines
    assert lines[-1] == "2 hits in 2 companies"


@pytest.fixture
def frozen_cache(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """A way to make the cache folder and its index unwritable (`chattr +i`), as a read-only
    mount or an index built by another user would be; undone when the test ends."""
    frozen: list[Path] = []

    def freeze() -> None:
        cache = Path(os.environ["CANVASCLI_CACHE_DIR"])
        paths = [*cache.iterdir(), cache]
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"this file system cannot make files immutable: {done.stderr!r}")
        frozen.extend(paths)

    yield freeze
    if frozen:
        subprocess.run(["chattr", "-i", *map(str, frozen)], check=False)


@pytest.mark.e2e
def test_an_index_that_cannot_be_brought_up_to_date_is_not_searched(
    canvas_process: Process, tmp_path: Path, frozen_cache: Callable[[], None]
) -> None:
    # Processes of their own: SQLite maps the index's shared memory, which a process that
    # had it open before the freeze would go on writing to.
    library = tmp_path / "site"
    shutil.copytree(POSTS, library)

    def canvas(*args: str) -> Any:
        done = canvas_process(*args, "--posts", str(library), "--json")
        assert done.returncode in (0, 1), done.stderr
        return json.loads(done.stdout)

    assert canvas("search", "Tableau")  # builds the index, search text included
    assert canvas("stats")["companies"] == 2  # and the terms
    post = library / "memsql.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Tableau", "Zorblax"), "utf-8")
    frozen_cache()
    assert canvas("search", "Tableau") == []
    assert [company["slug"] for company in canvas("search", "Zorblax")] == ["memsql"]
    warned = canvas_process("search", "Zorblax", "--posts", str(library))
    assert warned.returncode == 0
    assert "running without the index" in warned.stderr
    assert canvas("stats", "--top", "50") == canvas("stats", "--top", "50", "--no-cache")


@given(
    st.lists(
        st.sampled_from(
            ["a.md", "b/c.md", "./d.md", "e//f.md", "../g.md", "h/", "x/./y.md", "..", "z\n.md"]
        ),
        max_size=6,
    )
)
def test_the_paths_searched_are_those_pathlib_gives_each_post(names: list[str]) -> None:
    root = Path("/library/_posts")
    summaries = [
        summary_from_columns(f"{root}/{name}", ("s", "S", 1, 0, 1, 0, "")) for name in names
    ]
    expected = [Path(summary.source).relative_to(root).as_posix() for summary in summaries]
    assert _relative_paths(summaries, root) == expected


# A post of one word over and over, to the size limit: the most matches a section can hold.
ECHO_WORDS = 400_000


@pytest.fixture
def echo_library(tmp_path: Path) -> Path:
    library = tmp_path / "echo"
    library.mkdir()
    shutil.copyfile(POSTS / "memsql.md", library / "memsql.md")
    text = "# Business Model of Echo\n\n## Channels\n\n" + "word " * ECHO_WORDS + "zebra\n"
    (library / "echo.md").write_text(text, encoding="utf-8")
    return library


@pytest.mark.e2e
def test_a_section_of_one_word_to_the_size_limit_is_searched_at_once(
    canvas_process: Process, echo_library: Path
) -> None:
    # Each run is given a minute: weighing every match against every other took hours.
    for query in ("word", '"word word"', "zebra word", "word*"):
        answers = [
            canvas_process("search", query, "--json", "--posts", str(echo_library), *extra)
            for extra in ((), (), ("--no-cache",))
        ]
        assert {answer.stdout for answer in answers} == {answers[0].stdout}, query
        (echo,) = [hits for hits in json.loads(answers[0].stdout) if hits["slug"] == "echo"]
        (hit,) = echo["hits"]
        text = hit["snippet"]["text"]
        assert len(text) < 300 and "…" in text
        marked = " ".join(text[start:end] for start, end in hit["snippet"]["matches"])
        assert set(marked.split()) == ({"word", "zebra"} if "zebra" in query else {"word"})


MARK_LONG_TEXTS = """
import sys
from canvascli.analyse.search import match_spans, parse_query

text = open(sys.argv[1], encoding="utf-8").read()
texts = [text, text.replace("zebra", "okapi"), text, text]
for spans in match_spans(parse_query(sys.argv[2]), texts):
    print(len(spans), *(texts[0][start:end] for start, end in spans[-1:]))
"""


def test_every_match_in_a_long_text_is_marked_at_once(echo_library: Path) -> None:
    # A minute for four texts: marking each whole took half a minute a text.
    def marked(query: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", MARK_LONG_TEXTS, str(echo_library / "echo.md"), query],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.splitlines()

    assert marked("zebra") == ["1 zebra", "0", "1 zebra", "1 zebra"]
    assert marked("words") == [f"{ECHO_WORDS} word"] * 4


# Ranking ties and the default limit ---------------------------------------------------


def test_hits_that_score_alike_are_ordered_by_slug_then_by_block(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "ties"
    same = "Harbour ferries for commuters."
    # File order, title order and slug order all differ; blocks are written out of order.
    write_post(library, "b-post.md", "Alpha", {"Key Partners": same, "Customer Segments": same})
    write_post(library, "a-post.md", "Zulu", {"Key Partners": same, "Customer Segments": same})
    found = search_json(run, "ferries", "--posts", str(library))
    assert [company["slug"] for company in found] == ["a-post", "b-post"]
    for company in found:
        assert [hit["key"] for hit in company["hits"]] == ["customer-segments", "key-partners"]
        assert company["hits"][0]["score"] == company["hits"][1]["score"]


def test_twenty_hits_are_shown_unless_limit_says_otherwise(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "many"
    for number in range(25):
        write_post(library, f"post-{number:02}.md", f"Company {number}", {"Channels": "Kiosks."})
    found = search_json(run, "kiosks", "--posts", str(library))
    assert sum(len(company["hits"]) for company in found) == 20
    stdout = ok(run("search", "kiosks", "--posts", str(library))).stdout
    assert "best 20 of 25 hits shown, in 20 companies; --limit N shows more" in stdout


@pytest.mark.parametrize(
    ("before", "after", "opens", "closes"),
    [(6_000, 6_000, True, True), (0, 30_000, False, True), (30_000, 0, True, False)],
)
def test_a_long_sections_snippet_says_where_text_was_left_out(
    run: Run, tmp_path: Path, before: int, after: int, opens: bool, closes: bool
) -> None:
    library = tmp_path / "long"
    library.mkdir()
    text = "word " * (before // 5) + "zebra" + " word" * (after // 5)
    (library / "echo.md").write_text(
        f"# Business Model of Echo\n\n## Channels\n\n{text}\n", encoding="utf-8"
    )
    (hit,) = search_json(run, "zebra", "--posts", str(library))[0]["hits"]
    snippet = hit["snippet"]["text"]
    assert "zebra" in snippet
    assert (snippet.startswith("…"), snippet.endswith("…")) == (opens, closes)


@pytest.mark.parametrize("no_cache", [False, True], ids=["index", "no-cache"])
def test_a_word_given_thousands_of_times_is_searched_once_and_at_once(
    run: Run, tmp_path: Path, no_cache: bool
) -> None:
    import time

    library = tmp_path / "library"
    generate_library(library, 300)
    extra = ("--no-cache",) if no_cache else ()
    once = ok(run("search", "data", "--posts", str(library), "--json", *extra))
    started = time.monotonic()
    repeated = " ".join(["data", "Data", '"data"'] * 1000)
    many = ok(run("search", repeated, "--posts", str(library), "--json", *extra))
    assert time.monotonic() - started < 10
    assert json.loads(many.stdout) == json.loads(once.stdout)
    assert parse_query(repeated).terms == (Term("data"),)


def test_a_query_of_too_many_different_words_is_refused_in_one_line(run: Run) -> None:
    words = " ".join(f"word{number}" for number in range(3000))
    result = run("search", words, "--posts", str(POSTS))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("canvas: 3,000 different words and phrases in 'word0 word1")
    assert result.stderr.endswith("': give at most 64\n")
    assert result.stderr.count("\n") == 1
    sixty_four = run("search", " ".join(words.split()[:64]), "--posts", str(POSTS))
    assert "no hits for" in sixty_four.stderr
