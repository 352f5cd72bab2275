"""Tests of finding a library, loading its posts and looking companies and blocks up by name."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from canvascli.errors import (
    AmbiguousCompanyError,
    BlockNotFoundError,
    CompanyNotFoundError,
    LibraryError,
)
from canvascli.model import AnyBlock, Block, LeanBlock
from canvascli.read.labels import find_any_block, find_block
from canvascli.store.files import (
    DEFAULT_MAX_BYTES,
    POSTS_ENV,
    UnreadablePostError,
    bundled_posts,
    locate_library,
    read_post_bytes,
)
from canvascli.store.library import Library, find_company, load_library
from tests.helpers import Run, ok

SEEDS = Path(__file__).resolve().parent.parent / "posts"
TINY_POST = "# Business Model of {name}\n\n### Channels\n\nA stall at the {name} market.\n"


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    return folder


def seeds() -> dict[str, str | bytes]:
    return {
        "memsql.md": (SEEDS / "memsql.md").read_bytes(),
        "violin-memory.markdown": (SEEDS / "violin-memory.md").read_bytes(),
    }


def load(folder: Path, *, include_unpublished: bool = False) -> Library:
    return load_library(locate_library(folder, environ={}), include_unpublished=include_unpublished)


def slugs(library: Library) -> list[str]:
    return sorted(summary.slug for summary in library)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A Jekyll site root with a `_posts` folder, plus two other candidate folders."""
    for name in ("site/_posts", "from-option", "from-env", "elsewhere"):
        (tmp_path / name).mkdir(parents=True)
    return tmp_path


def test_posts_option_wins_over_environment_and_cwd(site: Path) -> None:
    location = locate_library(
        site / "from-option", environ={POSTS_ENV: str(site / "from-env")}, cwd=site / "site"
    )
    assert location.path == site / "from-option"
    assert location.origin == "--posts"


def test_environment_wins_over_cwd_posts(site: Path) -> None:
    location = locate_library(environ={POSTS_ENV: str(site / "from-env")}, cwd=site / "site")
    assert location.path == site / "from-env"
    assert location.origin == "$CANVASCLI_POSTS"


def test_cwd_posts_is_used_when_run_from_the_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site / "site")
    location = locate_library(environ={}, cwd=site / "site")
    assert location.origin == "./_posts"
    assert location.path.resolve() == (site / "site" / "_posts").resolve()


def test_cwd_argument_locates_posts_without_changing_directory(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site / "elsewhere")
    location = locate_library(environ={}, cwd=site / "site")
    assert location.origin == "./_posts"
    assert location.path.resolve() == (site / "site" / "_posts").resolve()
    assert location.path.is_dir()


def test_bundled_sample_is_the_last_resort(site: Path) -> None:
    location = locate_library(environ={}, cwd=site / "elsewhere")
    assert location.origin == "bundled sample"
    assert location.path == bundled_posts()
    assert {"memsql.md", "violin-memory.md"} <= {path.name for path in location.path.iterdir()}


def test_empty_environment_variable_is_ignored(site: Path) -> None:
    location = locate_library(environ={POSTS_ENV: ""}, cwd=site / "elsewhere")
    assert location.origin == "bundled sample"


@pytest.mark.parametrize("via", ["option", "environment"])
def test_missing_folder_is_an_error_naming_it(site: Path, via: str) -> None:
    missing = site / "no-such-posts"
    with pytest.raises(LibraryError) as raised:
        if via == "option":
            locate_library(missing, environ={}, cwd=site / "site")
        else:
            locate_library(environ={POSTS_ENV: str(missing)}, cwd=site / "site")
    assert raised.value.path == str(missing)
    chosen_by = "" if via == "option" else f" (from ${POSTS_ENV})"
    assert str(raised.value) == f"library {missing}{chosen_by}: no such folder"


def test_file_is_not_a_library_folder(tmp_path: Path) -> None:
    post = write(tmp_path, {"memsql.md": "# MemSQL\n"}) / "memsql.md"
    with pytest.raises(LibraryError, match="not a folder") as raised:
        locate_library(post, environ={})
    assert raised.value.path == str(post)


def test_md_and_markdown_posts_are_found_and_txt_ignored(tmp_path: Path) -> None:
    write(tmp_path, {**seeds(), "notes.txt": TINY_POST.format(name="Notes")})
    library = load(tmp_path)
    assert slugs(library) == ["memsql", "violin-memory"]
    assert sorted(Path(summary.source).name for summary in library) == [
        "memsql.md",
        "violin-memory.markdown",
    ]
    assert library.problems == []
    assert library.get("violin-memory").name == "Violin Memory"


def test_unpublished_posts_are_skipped_unless_asked_for(tmp_path: Path) -> None:
    hidden = "---\npublished: false\n---\n" + TINY_POST.format(name="Hush")
    write(tmp_path, {**seeds(), "drafts/hush.md": hidden})
    assert slugs(load(tmp_path)) == ["memsql", "violin-memory"]
    assert slugs(load(tmp_path, include_unpublished=True)) == ["hush", "memsql", "violin-memory"]


def test_non_utf8_post_loads_with_a_cv105_diagnostic(tmp_path: Path) -> None:
    latin1 = TINY_POST.format(name="Café Lune").encode("latin-1")
    write(tmp_path, {**seeds(), "cafe-lune.md": latin1})
    library = load(tmp_path)
    assert slugs(library) == ["cafe-lune", "memsql", "violin-memory"]
    canvas = library.get("cafe-lune")
    assert canvas.name == "Caf\ufffd Lune"
    first = canvas.diagnostics[0]
    assert (first.code, first.severity, first.line) == ("CV105", "error", 1)
    assert "0xe9" in first.message
    assert [(problem.path, problem.diagnostic.code) for problem in library.problems] == [
        (str(tmp_path / "cafe-lune.md"), "CV105")
    ]


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_posts_load_with_a_cv105_naming_their_encoding(
    tmp_path: Path, codec: str, named: str
) -> None:
    text = TINY_POST.format(name="Kiln")
    # The -le and -be codecs write no byte-order mark; editors do.
    data = ("" if codec in ("utf-16", "utf-32") else "\ufeff").encode(codec) + text.encode(codec)
    write(tmp_path, {"kiln.md": data})
    canvas = load(tmp_path).get("kiln")
    assert canvas.name == "Kiln"
    assert canvas.diagnostics[0].code == "CV105"
    assert canvas.diagnostics[0].message == f"file is {named}, not UTF-8"


def test_only_hidden_folders_and_the_jekyll_build_folder_are_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **seeds(),
            "_site/built.md": TINY_POST.format(name="Built"),
            ".drafts/hidden.md": TINY_POST.format(name="Hidden"),
            "_sites/kept.md": TINY_POST.format(name="Kept"),
            "_sitemap/mapped.md": TINY_POST.format(name="Mapped"),
            "_site-old/old.md": TINY_POST.format(name="Old"),
        },
    )
    assert slugs(load(tmp_path)) == ["kept", "mapped", "memsql", "old", "violin-memory"]


def test_binary_post_is_a_problem_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, {**seeds(), "blob.md": b"# Blob\x00\x01\x02\n"})
    library = load(tmp_path)
    assert slugs(library) == ["memsql", "violin-memory"]
    (problem,) = library.problems
    assert problem.path == str(tmp_path / "blob.md")
    assert problem.diagnostic.code == "CV105"
    assert problem.message.startswith(f"{tmp_path / 'blob.md'}: ")
    assert "binary" in problem.message


def test_a_post_gone_after_the_library_was_listed_is_a_problem_and_the_others_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, seeds())
    assert slugs(load(tmp_path)) == ["memsql", "violin-memory"]
    gone = str(tmp_path / "memsql.md")

    def after_the_listing(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def look(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            if os.fspath(path) == gone:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), gone)
            return real(path, *args, **kwargs)

        return look

    monkeypatch.setattr(os, "lstat", after_the_listing(os.lstat))
    monkeypatch.setattr(os, "stat", after_the_listing(os.stat))
    library = load(tmp_path)
    assert slugs(library) == ["violin-memory"]
    (problem,) = library.problems
    assert (problem.path, problem.diagnostic.code) == (gone, "CV303")


@pytest.mark.parametrize("swapped_for", ["fifo", "link leaving the library"])
def test_a_post_swapped_after_it_was_checked_is_refused_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swapped_for: str
) -> None:
    library = write(tmp_path / "library", {"checked.md": TINY_POST.format(name="Acme")})
    secret = write(tmp_path / "outside", {"secret.md": "outside the library"}) / "secret.md"
    swapped = library / "swapped.md"
    if swapped_for == "fifo":
        os.mkfifo(swapped)
    else:
        swapped.symlink_to(secret)
    real_lstat = Path.lstat

    def lstat_before_the_swap(path: Path) -> os.stat_result:
        return real_lstat(library / "checked.md" if path == swapped else path)

    monkeypatch.setattr(Path, "lstat", lstat_before_the_swap)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(read_post_bytes(swapped, library, DEFAULT_MAX_BYTES))
        except UnreadablePostError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():
        with swapped.open("wb"):  # the writer the blocked reader waits for
            pass
        reader.join(timeout=10)
        pytest.fail("reading a FIFO waited for a writer")
    assert outcome == ["changed while being read; skipped"]


def test_a_post_that_grew_after_it_was_checked_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post, content = _grown_post(tmp_path, monkeypatch)
    data, _info = read_post_bytes(post, tmp_path, DEFAULT_MAX_BYTES)
    assert data == content


def test_a_post_that_grew_past_the_limit_after_it_was_checked_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post, _content = _grown_post(tmp_path, monkeypatch)
    with pytest.raises(UnreadablePostError, match="grew past the 2,000-byte limit"):
        read_post_bytes(post, tmp_path, 2000)


def _grown_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, bytes]:
    """A post of about 3 KB whose checks (`Path.lstat`, then `os.fstat` of the open file)
    still find the 100 bytes it had before it grew, and its content."""
    content = (TINY_POST.format(name="Acme") + "x" * 3000).encode("utf-8")
    write(tmp_path, {"growing.md": content})
    for name in ("stat", "fstat"):
        monkeypatch.setattr(os, name, _as_before_it_grew(getattr(os, name)))
    return tmp_path / "growing.md", content


def _as_before_it_grew(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
    """`os.stat` (which `Path.lstat` calls) or `os.fstat`, telling a post's size before it
    grew (100 bytes) rather than its own."""

    def found(*arguments: Any, **options: Any) -> os.stat_result:
        fields = list(real(*arguments, **options))
        fields[stat.ST_SIZE] = 100
        return os.stat_result(fields)

    return found


def test_a_post_over_the_size_limit_is_a_problem_naming_its_size(tmp_path: Path) -> None:
    big = TINY_POST.format(name="Big") + "x" * 1500
    write(tmp_path, {"small.md": TINY_POST.format(name="Small"), "big.md": big})
    library = load_library(locate_library(tmp_path, environ={}), limit=1000)
    assert slugs(library) == ["small"]
    (problem,) = library.problems
    assert problem.path == str(tmp_path / "big.md")
    assert (problem.diagnostic.code, problem.diagnostic.severity) == ("CV304", "warning")
    size = len(big.encode("utf-8"))
    assert problem.diagnostic.message == f"is {size:,} bytes, over the 1,000-byte limit; skipped"


def test_duplicate_slug_keeps_the_first_post_and_reports_the_second(tmp_path: Path) -> None:
    memsql = (SEEDS / "memsql.md").read_bytes()
    write(tmp_path, {"memsql.md": memsql, "sub/2016-05-12-memsql.md": memsql})
    library = load(tmp_path)
    (kept,) = library.summaries
    assert kept.source == str(tmp_path / "memsql.md")
    (problem,) = library.problems
    assert problem.path == str(tmp_path / "sub" / "2016-05-12-memsql.md")
    assert problem.diagnostic.code == "CV301"
    assert str(tmp_path / "memsql.md") in problem.diagnostic.message


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        ("\ufeff---\ntitle: x\n---\n# Copy\n".encode("utf-16"), "file is UTF-16, not UTF-8"),
        (b"---\ntitle: [MemSQL\n---\n# MemSQL\n\n## Key Partners\n\n- Tableau\n", "not valid YAML"),
    ],
    ids=["utf-16", "broken-front-matter"],
)
@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["index", "no-cache"])
def test_a_copy_read_with_errors_never_hides_the_post_of_the_same_slug(
    run: Run, tmp_path: Path, broken: bytes, why: str, cache: list[str]
) -> None:
    # The broken copy comes first by path, where the first post of a slug keeps it.
    write(
        tmp_path, {"2016-01-01-memsql.md": broken, "memsql.md": (SEEDS / "memsql.md").read_bytes()}
    )
    copy = tmp_path / "2016-01-01-memsql.md"
    listed = ok(run("list", "--json", "--posts", str(tmp_path), *cache))
    (memsql,) = [summary for summary in json.loads(listed.stdout) if summary["slug"] == "memsql"]
    assert (memsql["name"], memsql["source"]) == ("MemSQL", str(tmp_path / "memsql.md"))
    (line,) = [line for line in listed.stderr.splitlines() if str(copy) in line]
    assert why in line
    assert line.endswith(
        f"slug 'memsql' is also used by {tmp_path / 'memsql.md'}, which reads without errors; "
        "skipped"
    )
    shown = ok(run("show", "memsql", "--json", "--posts", str(tmp_path), *cache))
    assert json.loads(shown.stdout)["source"] == str(tmp_path / "memsql.md")


def test_library_folder_may_be_the_bundled_sample() -> None:
    library = load_library(locate_library(environ={}, cwd=Path("/")))
    assert slugs(library) == ["memsql", "violin-memory"]


@pytest.fixture
def sample(tmp_path: Path) -> Library:
    return load(write(tmp_path, seeds()))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("memsql", "memsql"),
        ("violin-memory", "violin-memory"),
        ("MemSQL", "memsql"),
        ("mEmSqL", "memsql"),
        ("VIOLIN MEMORY", "violin-memory"),
        ("violin memory", "violin-memory"),
        ("  Violin Memory  ", "violin-memory"),
        ("vio", "violin-memory"),
        ("Violin M", "violin-memory"),
        ("mem", "memsql"),
    ],
)
def test_find_company_by_slug_name_or_unique_prefix(sample: Library, name: str, slug: str) -> None:
    assert find_company(sample.summaries, name, "the sample").slug == slug
    assert sample.get(name).slug == slug


def test_ambiguous_company_prefix_lists_the_candidates(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "acme-cargo.md": TINY_POST.format(name="Acme Cargo"),
            "acme-foods.md": TINY_POST.format(name="Acme Foods"),
        },
    )
    library = load(tmp_path)
    with pytest.raises(AmbiguousCompanyError) as raised:
        library.find("acme")
    assert raised.value.candidates == ("acme-cargo", "acme-foods")
    assert str(raised.value) == f"company 'acme' is ambiguous in {tmp_path}: acme-cargo, acme-foods"
    assert library.find("acme-f").slug == "acme-foods"


def _rocket_library(folder: Path) -> None:
    write(
        folder / "_posts",
        {
            "2024-05-01-acme-rockets.md": TINY_POST.format(name="Acme Rockets"),
            "2024-05-02-acme-foods.md": TINY_POST.format(name="Acme Foods"),
            "2024-05-03-harbour-kayaks.md": TINY_POST.format(name="Tidewater Boats"),
        },
    )


def test_a_misspelt_word_of_a_slug_suggests_its_company(run: Run, tmp_path: Path) -> None:
    _rocket_library(tmp_path)
    result = run("show", "rockts")
    assert result.exit_code == 1
    assert result.stderr.endswith("; did you mean 'acme-rockets'?\n")
    result = run("show", "tidewatr")
    assert result.stderr.endswith("; did you mean 'harbour-kayaks'?\n")


def test_a_word_only_one_company_has_names_it(run: Run, tmp_path: Path) -> None:
    _rocket_library(tmp_path)
    assert ok(run("show", "rockets", "channels")).stdout.count("Acme Rockets") >= 1
    assert "Tidewater Boats" in ok(run("show", "boats", "channels")).stdout
    assert "Tidewater Boats" in ok(run("show", "kayaks", "channels")).stdout


def test_a_word_two_companies_share_lists_them_on_one_line(run: Run, tmp_path: Path) -> None:
    _rocket_library(tmp_path)
    result = run("show", "ACME")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr == "canvas: company 'ACME' is ambiguous in _posts: acme-foods, acme-rockets\n"
    )


def test_unknown_company_suggests_the_nearest_slug(sample: Library) -> None:
    with pytest.raises(CompanyNotFoundError) as raised:
        sample.find("memsqk")
    where = sample.location.path
    assert str(raised.value) == f"no company 'memsqk' in {where}; did you mean 'memsql'?"
    assert raised.value.name == "memsqk"
    assert raised.value.candidates[0] == "memsql"


def test_unknown_company_without_a_near_miss_has_no_hint(sample: Library) -> None:
    with pytest.raises(CompanyNotFoundError) as raised:
        find_company(sample.summaries, "x", "posts/")
    assert str(raised.value) == "no company 'x' in posts/"
    assert raised.value.candidates == ()


@pytest.mark.parametrize(
    ("name", "block"),
    [
        ("key-partners", Block.KEY_PARTNERS),
        ("key_partners", Block.KEY_PARTNERS),
        ("Key Partners", Block.KEY_PARTNERS),
        ("KEY PARTNERS", Block.KEY_PARTNERS),
        ("partners", Block.KEY_PARTNERS),
        ("kp", Block.KEY_PARTNERS),
        ("Partner Network", Block.KEY_PARTNERS),
        ("vp", Block.VALUE_PROPOSITIONS),
        ("value", Block.VALUE_PROPOSITIONS),
        ("segments", Block.CUSTOMER_SEGMENTS),
        ("costs", Block.COST_STRUCTURE),
        ("cost-structure", Block.COST_STRUCTURE),
        ("revenue", Block.REVENUE_STREAMS),
        ("income", Block.REVENUE_STREAMS),
        ("key-p", Block.KEY_PARTNERS),
        ("key-r", Block.KEY_RESOURCES),
        ("chan", Block.CHANNELS),
    ],
)
def test_find_block_by_key_title_alias_or_prefix(name: str, block: Block) -> None:
    assert find_block(name) is block


def test_every_block_is_found_by_its_key_and_title() -> None:
    for block in Block:
        assert find_block(block.key) is block
        assert find_block(block.title) is block
        for alias in block.aliases:
            assert find_block(alias) is block


def test_ambiguous_block_prefix_lists_the_candidates() -> None:
    with pytest.raises(BlockNotFoundError) as raised:
        find_block("key")
    assert raised.value.candidates == ("key-activities", "key-partners", "key-resources")
    assert str(raised.value) == (
        "block 'key' is ambiguous: key-activities, key-partners, key-resources"
    )


def test_unknown_block_is_an_error() -> None:
    with pytest.raises(BlockNotFoundError) as raised:
        find_block("zebra")
    assert raised.value.name == "zebra"
    assert "no block 'zebra'" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "block"),
    [
        ("problem", LeanBlock.PROBLEM),
        ("Unfair Advantage", LeanBlock.UNFAIR_ADVANTAGE),
        ("metrics", LeanBlock.KEY_METRICS),
        ("key-m", LeanBlock.KEY_METRICS),
        ("solu", LeanBlock.SOLUTION),
        ("Problema", LeanBlock.PROBLEM),
        ("uvp", Block.VALUE_PROPOSITIONS),
        ("key-partners", Block.KEY_PARTNERS),
        ("chan", Block.CHANNELS),
    ],
)
def test_find_any_block_finds_lean_canvas_blocks_too(name: str, block: AnyBlock) -> None:
    assert find_any_block(name) is block


def test_find_any_block_keeps_the_nine_blocks_ambiguity_and_errors() -> None:
    with pytest.raises(BlockNotFoundError, match="key-activities, key-partners, key-resources"):
        find_any_block("key")
    with pytest.raises(BlockNotFoundError, match="no block 'zebra'"):
        find_any_block("zebra")


NO_TEXT_POSTS: dict[str, tuple[str, str]] = {
    "empty.md": ("", "post is empty"),
    "front-matter-only.md": ("---\ntitle: x\n---\n", "post has front matter but no text"),
    "dashes.md": ("---\n", "post holds only front matter fences (---)"),
    "fences.md": ("---\n---\n", "post holds only front matter fences (---)"),
    "blank-front-matter.md": ("---\n\n---\n\n\n", "post holds only front matter fences (---)"),
}


@pytest.mark.parametrize("use_cache", [True, False], ids=["index", "no-cache"])
def test_a_post_without_text_is_reported_once_and_is_no_company(
    tmp_path: Path, use_cache: bool, run: Run
) -> None:
    posts = write(tmp_path / "lib", {**seeds(), **{n: t for n, (t, _) in NO_TEXT_POSTS.items()}})
    library = load_library(locate_library(posts, environ={}), use_cache=use_cache)
    assert slugs(library) == ["memsql", "violin-memory"]
    assert sorted((problem.path, problem.diagnostic.message) for problem in library.problems) == [
        (str(posts / name), reason) for name, (_, reason) in sorted(NO_TEXT_POSTS.items())
    ]
    cache = [] if use_cache else ["--no-cache"]
    checked = run("check", str(posts))
    assert checked.exit_code == 1
    for name in NO_TEXT_POSTS:  # one finding each: no missing blocks, no missing title
        (finding,) = [line for line in checked.stdout.splitlines() if f"/{name}:" in line]
        assert f"{name}:1:1: CV107 " in finding
    listed = ok(run("list", "--posts", str(posts), *cache)).stdout.splitlines()
    assert [line.split("\t")[1] for line in listed] == ["memsql", "violin-memory"]
    assert "no company 'dashes'" in run("show", "dashes", "--posts", str(posts), *cache).stderr


def test_a_folder_that_cannot_be_read_is_reported_not_silently_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {**seeds(), "private/hidden-company.md": TINY_POST.format(name="Hidden")})
    private = str(tmp_path / "private")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == private:  # as if its mode were 000, which root ignores
            raise PermissionError(13, "Permission denied", private)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    library = load_library(locate_library(tmp_path, environ={}), use_cache=False)
    assert slugs(library) == ["memsql", "violin-memory"]
    assert [problem.message for problem in library.problems] == [
        f"{private}: folder cannot be read (Permission denied); the posts in it are skipped"
    ]


@pytest.mark.parametrize(
    ("file_name", "typed"),
    [
        ("straße.md", "straße"),
        ("straße.md", "STRASSE"),
        ("ΟΔΟΣ.md", "ΟΔΟΣ"),
        ("ΟΔΟΣ.md", "οδος"),
        ("ﬁnance.md", "ﬁnance"),
        ("ﬁnance.md", "FINANCE"),
    ],
)
def test_a_slug_that_changes_under_case_folding_names_its_own_company(
    run: Run, tmp_path: Path, file_name: str, typed: str
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / file_name).write_text("# Foldable Co\n\n## Channels\n\n- A stall\n", "utf-8")
    (library / "other.md").write_text("# Other Co\n\n## Channels\n\n- A van\n", "utf-8")
    for cache in ((), ("--no-cache",)):
        shown = ok(run("show", typed, "channels", "--posts", str(library), *cache))
        assert shown.stdout.startswith("Foldable Co"), shown.output
