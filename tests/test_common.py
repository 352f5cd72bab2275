"""Common ground: term normalisation, term finding and matching, rule by rule."""

from __future__ import annotations

import pytest

from canvascli.analyse.common_ground import (
    canvas_terms,
    common_ground,
    contains,
    is_generic,
    normalise_term,
    terms_of,
    without_shared,
)
from canvascli.model import Block, Canvas, Section, block_from_key
from canvascli.read.canvas import read_canvas
from canvascli.store.files import locate_library
from canvascli.store.library import load_library
from tests.conftest import POSTS


def make_canvas(name: str, **blocks: str) -> Canvas:
    """A canvas parsed from Markdown: one `### Title` section per keyword (block key)."""
    parts = [f"# Business Model of {name}", ""]
    for key, body in blocks.items():
        parts += [f"### {block_from_key(key.replace('_', '-')).title}", "", body, ""]
    return read_canvas("\n".join(parts), f"{name.lower().replace(' ', '-')}.md")


def section_of(markdown: str) -> Section:
    found = make_canvas("Someone", key_partners=markdown).blocks[Block.KEY_PARTNERS]
    return found


def keys(markdown: str, exclude: tuple[str, ...] = ()) -> list[str]:
    return [term.key for term in terms_of(section_of(markdown), exclude)]


def texts(markdown: str) -> list[str]:
    return [term.text for term in terms_of(section_of(markdown))]


@pytest.fixture(scope="module")
def bundled() -> list[Canvas]:
    return list(load_library(locate_library(POSTS), use_cache=False).canvases())


# normalise_term, one rule at a time


def test_case_does_not_count() -> None:
    assert normalise_term("FINANCIAL services") == normalise_term("Financial Services")


def test_an_acronym_that_is_also_a_stop_word_keeps_its_case() -> None:
    assert normalise_term("US") == "US"
    assert normalise_term("IT") != normalise_term("it")
    assert texts("Offices in the US and the UK; IT staff.") == ["US", "UK", "IT"]


def test_punctuation_does_not_count() -> None:
    assert normalise_term("Tableau;") == normalise_term("(Tableau)") == "tableau"
    assert normalise_term("e-mail") == normalise_term("email") == "email"
    assert normalise_term("AT&T") == normalise_term("AT and T")


def test_a_trailing_or_leading_and_does_not_count() -> None:
    assert normalise_term("Tableau; and") == "tableau"
    assert normalise_term("and VMWare") == "vmware"
    assert normalise_term("Retail and Commerce") == "retail and commerce"


def test_plurals_are_singular() -> None:
    assert normalise_term("Services") == normalise_term("service") == "service"
    assert normalise_term("Universities") == "university"
    assert normalise_term("Businesses") == normalise_term("Business") == "business"
    assert normalise_term("Analysis") == "analysis"
    assert normalise_term("Status") == "status"


def test_leading_articles_and_possessives_do_not_count() -> None:
    assert normalise_term("The Company’s customers") == "company customer"
    assert normalise_term("its proprietary technologies") == "proprietary technology"


def test_accents_do_not_count() -> None:
    assert normalise_term("Nestlé") == normalise_term("Nestle")


def test_nothing_but_glue_normalises_to_nothing() -> None:
    assert normalise_term("and the") == ""
    assert normalise_term(" - ") == ""


def test_containing_name_matches_whole_words_only() -> None:
    assert contains("microsoft azure", "microsoft")
    assert contains("media and communication", "communication")
    assert contains("microsoft", "microsoft")
    assert not contains("microsoft", "micro")
    assert not contains("microstrategy", "microsoft")


def test_generic_words_alone_are_generic() -> None:
    assert is_generic("company")
    assert is_generic("technology partner")
    assert not is_generic("channel partner")
    assert not is_generic("microsoft")


# terms_of: what counts as a term


def test_an_items_leading_name_ends_at_a_colon_comma_semicolon_dash_or_bracket() -> None:
    markdown = "\n".join(
        [
            "* Financial Services: banks and insurers",
            "* Healthcare, including hospitals",
            "* Retail; mostly shops",
            "* Logistics - trucks and ships",
            "* Amazon Web Services (AWS)",
            "* Tableau",
        ]
    )
    leads = [term.text for term in terms_of(section_of(markdown)) if term.kind == "item"]
    assert leads == [
        "Financial Services",
        "Healthcare",
        "Retail",
        "Logistics",
        "Amazon Web Services",
        "Tableau",
    ]


def test_an_items_leading_name_loses_its_trailing_glue_words() -> None:
    assert keys("* Resellers and, where needed, distributors") == ["reseller"]
    assert texts("* Banks or the: lenders") == ["Banks"]


def test_a_long_item_has_no_leading_name_but_its_names_count() -> None:
    found = terms_of(
        section_of("* Partnerships with resellers extend its reach to Japan and South Korea")
    )
    assert [(term.text, term.kind) for term in found] == [
        ("Japan", "name"),
        ("South Korea", "name"),
    ]


def test_names_in_paragraphs_are_capitalised_runs() -> None:
    assert texts("It works with Dell, Microsoft and Bank of America in the US.") == [
        "Dell",
        "Microsoft",
        "Bank of America",
        "US",
    ]


def test_names_keep_numbers_and_mixed_case() -> None:
    assert texts("Clients include the San Francisco 49ers and eBay.") == [
        "San Francisco 49ers",
        "eBay",
    ]


def test_a_single_capitalised_word_opening_a_sentence_is_no_name() -> None:
    assert texts("Customers reach support by phone. Sales are direct. Most costs are fixed.") == []


def test_a_name_of_two_words_opening_a_sentence_is_a_name() -> None:
    assert texts("Google Cloud hosts the service.") == ["Google Cloud"]


def test_stop_words_months_and_generic_words_are_no_names() -> None:
    assert texts("In September the Company said that The Partners and Our Customers agreed.") == []


def test_leading_stop_words_are_cut_from_a_name() -> None:
    assert texts("It is the leader. The Internet is its main channel.") == ["Internet"]


def test_a_possessive_ends_a_name() -> None:
    assert texts("It resells Oracle’s databases and Microsoft's Azure Stack.") == [
        "Oracle",
        "Microsoft",
        "Azure Stack",
    ]


def test_the_companys_own_name_is_not_a_term() -> None:
    markdown = "MemSQL runs the MemSQL Partner Program with Tableau."
    assert keys(markdown, exclude=("MemSQL",)) == ["tableau"]


def test_terms_point_at_their_text() -> None:
    markdown = "Runs on Microsoft Azure.\n\n* Intel; and"
    section = section_of(markdown)
    for term in terms_of(section):
        assert section.entries[term.entry].text[term.start : term.end] == term.text


def test_no_section_has_no_terms() -> None:
    assert terms_of(None) == []


# common_ground: matching across canvases


def test_the_bundled_pair_share_financial_services_and_microsoft(bundled: list[Canvas]) -> None:
    ground = common_ground(bundled, list(Block))
    shared = {(term.block, term.term) for term in ground.shared}
    assert (Block.CUSTOMER_SEGMENTS, "Financial Services") in shared
    assert (Block.KEY_PARTNERS, "Microsoft") in shared
    microsoft = next(term for term in ground.shared if term.term == "Microsoft")
    assert microsoft.matches == (
        ("memsql", ("Microsoft Azure",)),
        ("violin-memory", ("Microsoft",)),
    )


def test_a_name_inside_a_longer_name_is_shared() -> None:
    first = make_canvas("Acme", key_partners="* Microsoft Azure")
    second = make_canvas("Globex", key_partners="We run on Microsoft servers.")
    (shared,) = common_ground([first, second], [Block.KEY_PARTNERS]).shared
    assert shared.term == "Microsoft"
    assert shared.slugs == ("acme", "globex")


def test_the_most_specific_shared_name_is_reported_once() -> None:
    first = make_canvas("Acme", key_partners="* Microsoft Azure")
    second = make_canvas("Globex", key_partners="* microsoft azure")
    (shared,) = common_ground([first, second], [Block.KEY_PARTNERS]).shared
    assert shared.term == "Microsoft Azure"


def test_generic_words_match_only_whole() -> None:
    first = make_canvas("Acme", key_partners="* Technology Partners\n* Channel Partners")
    second = make_canvas("Globex", key_partners="* Technology Partners\n* Reseller Partners")
    shared = common_ground([first, second], [Block.KEY_PARTNERS]).shared
    assert [term.term for term in shared] == ["Technology Partners"]


def test_sentence_openers_stop_words_and_generic_words_are_never_shared() -> None:
    prose = (
        "The company sells online. Customers pay monthly. In March the Company grew. "
        "Its Partners are resellers."
    )
    canvases = [make_canvas(name, customer_segments=prose) for name in ("Acme", "Globex")]
    assert common_ground(canvases, [Block.CUSTOMER_SEGMENTS]).shared == ()


def test_terms_are_shared_within_a_block_only() -> None:
    first = make_canvas("Acme", key_partners="* Microsoft")
    second = make_canvas("Globex", channels="* Microsoft")
    assert common_ground([first, second], list(Block)).shared == ()


def test_a_term_of_one_canvas_is_not_common_ground() -> None:
    only = make_canvas("Acme", key_partners="* Microsoft\n\nMicrosoft again.")
    other = make_canvas("Globex", key_partners="* Oracle")
    assert common_ground([only, other], [Block.KEY_PARTNERS]).shared == ()


def test_shared_terms_of_three_canvases_list_who_shares_them() -> None:
    canvases = [
        make_canvas("Acme", key_partners="* Microsoft\n* Intel"),
        make_canvas("Globex", key_partners="* Intel"),
        make_canvas("Initech", key_partners="* Microsoft Azure"),
    ]
    shared = common_ground(canvases, [Block.KEY_PARTNERS]).shared
    assert [(term.term, term.slugs) for term in shared] == [
        ("Microsoft", ("acme", "initech")),
        ("Intel", ("acme", "globex")),
    ]


def test_marks_and_shared_items_point_at_the_entries(bundled: list[Canvas]) -> None:
    ground = common_ground(bundled, [Block.KEY_PARTNERS])
    memsql, violin = bundled
    section = memsql.blocks[Block.KEY_PARTNERS]
    (azure,) = ground.shared_items("memsql", Block.KEY_PARTNERS)
    assert section.entries[azure].text == "Microsoft Azure"
    assert ground.marks("memsql", Block.KEY_PARTNERS) == {azure: ((0, len("Microsoft Azure")),)}
    ((entry, spans),) = ground.marks("violin-memory", Block.KEY_PARTNERS).items()
    ((start, end),) = spans
    assert violin.blocks[Block.KEY_PARTNERS].entries[entry].text[start:end] == "Microsoft"
    assert ground.shared_items("violin-memory", Block.KEY_PARTNERS) == frozenset()


def test_without_shared_drops_shared_items_and_keeps_paragraphs(bundled: list[Canvas]) -> None:
    ground = common_ground(bundled, [Block.KEY_PARTNERS])
    memsql = without_shared(bundled[0], ground)
    partners = memsql.blocks[Block.KEY_PARTNERS]
    assert "Microsoft Azure" not in partners.items
    assert "Tableau" in partners.items
    assert partners.paragraphs == bundled[0].blocks[Block.KEY_PARTNERS].paragraphs
    assert memsql.blocks[Block.CUSTOMER_SEGMENTS] == bundled[0].blocks[Block.CUSTOMER_SEGMENTS]


def test_common_ground_is_the_same_every_time(bundled: list[Canvas]) -> None:
    first = common_ground(bundled, list(Block)).to_list()
    assert first == common_ground(bundled, list(Block)).to_list()
    assert first[0] == {
        "block": "customer-segments",
        "term": "Financial Services",
        "key": "financial service",
        "companies": ["memsql", "violin-memory"],
        "matches": {"memsql": ["Financial Services"], "violin-memory": ["Financial Services"]},
    }


def test_canvas_terms_gives_each_key_once_per_block() -> None:
    canvas = make_canvas(
        "Acme", key_partners="* Microsoft\n\nWe love Microsoft.", channels="Sold on Amazon."
    )
    assert canvas_terms(canvas) == {
        "channels": [("amazon", "Amazon")],
        "key-partners": [("microsoft", "Microsoft")],
    }
