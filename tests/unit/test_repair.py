"""Tests for tui.core.repair: Windows-874 and Windows-1252 mojibake, and genuine text kept."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from repo_paths import SEED

from tui.core.repair import Repair, may_need_repair, repair_text

# A line holding only whitespace with at least one NO-BREAK SPACE separates posts.
SEPARATOR = re.compile(r"\n[^\S\n]*\xa0[^\S\n]*\n")
THAI_BLOCK = re.compile("[\u0e00-\u0e7f]")
C1_OR_FFFD = re.compile("[\x80-\x9f\ufffd]")


def mangle_874(text: str) -> str:
    """What the scraper did: UTF-8 bytes read as Windows-874, Windows-1252 for the
    bytes Windows-874 leaves undefined, bytes neither defines dropped."""
    out = []
    for byte in text.encode("utf-8"):
        for codec in ("cp874", "cp1252"):
            try:
                out.append(bytes([byte]).decode(codec))
                break
            except UnicodeDecodeError:
                continue
    return "".join(out)


def mangle_1252(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="ignore")


@lru_cache(maxsize=1)
def seed_blocks() -> tuple[str, ...]:
    return tuple(SEPARATOR.split(SEED.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def repaired_seed() -> tuple[tuple[str, tuple[Repair, ...]], ...]:
    return tuple(repair_text(block) for block in seed_blocks())


# --- the seed file ------------------------------------------------------------------------


def test_seed_is_mangled_as_described() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert "๐Ÿค”" in text
    assert "๐Ÿคฆโ€โ™€๏ธ" in text
    assert len(seed_blocks()) > 10


def test_seed_has_no_thai_no_c1_no_replacement_after_repair() -> None:
    for fixed, _ in repaired_seed():
        assert not THAI_BLOCK.search(fixed), fixed
        assert not C1_OR_FFFD.search(fixed), fixed


@pytest.mark.parametrize(
    "emoji",
    [
        "🤔",
        "🍕",
        "😂",
        "🤦\u200d♀\ufe0f",
        "👮\u200d♂\ufe0f",
        "👮\u200d♀\ufe0f",
        "🤷\u200d♀\ufe0f",
        "💁\u200d♀\ufe0f",
        "⚖\ufe0f",
        "🕰\ufe0f",
        "🤝",
        "📝",
        "😏",
        "🚨",
        "💯",
        "🤯",
    ],
)
def test_seed_emoji_display(emoji: str) -> None:
    assert any(emoji in fixed for fixed, _ in repaired_seed())


def test_seed_specific_runs() -> None:
    fixed = "\n".join(text for text, _ in repaired_seed())
    assert "where you live 🍕😂." in fixed
    assert "gettin' all sneaky 😏 and" in fixed
    assert "Ugh 🤦\u200d♀\ufe0f🚨 this is so not cool 🤯!" in fixed
    assert "doesn't really cut it 💁\u200d♀\ufe0f." in fixed
    assert "laws seriously ⚖\ufe0f." in fixed
    assert "a whole different ball game 🤝." in fixed
    assert "the reforms recommended by DOI 📝." in fixed


def test_seed_every_repair_recorded() -> None:
    for block, (fixed, repairs) in zip(seed_blocks(), repaired_seed(), strict=True):
        rebuilt = block
        for repair in repairs:
            assert repair.original in rebuilt
            rebuilt = rebuilt.replace(repair.original, repair.replacement, 1)
        assert rebuilt == fixed
        for repair in repairs:
            assert repair.kind in ("windows-874", "guessed")


def test_seed_repair_kinds() -> None:
    found = {r.original: r for _, repairs in repaired_seed() for r in repairs}
    assert found["๐Ÿค”"] == Repair("๐Ÿค”", "🤔", "windows-874")
    assert found["๐Ÿคฆโ€โ™€๏ธ๐Ÿšจ"] == Repair("๐Ÿคฆโ€โ™€๏ธ๐Ÿšจ", "🤦\u200d♀\ufe0f🚨", "guessed")


def test_seed_repair_is_stable() -> None:
    for fixed, _ in repaired_seed():
        again, repairs = repair_text(fixed)
        assert again is fixed
        assert repairs == ()


def test_seed_file_may_need_repair() -> None:
    assert may_need_repair(SEED.read_bytes())


# --- exact and guessed Windows-874 restorations ----------------------------------------------


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("๐Ÿค”", "🤔"),
        ("โ€™", "’"),
        ("โ€”", "—"),
        ("โ€ฆ", "…"),
        ("โ„ข", "™"),
        ("เธชเธงเธฑเธชเธ”เธต", "สวัสดี"),
        ("๐Ÿ‡น๐Ÿ‡ญ", "🇹🇭"),
    ],
)
def test_exact_runs(garbled: str, expected: str) -> None:
    fixed, repairs = repair_text(f"so {garbled} ok ๐Ÿค”")
    assert fixed == f"so {expected} ok 🤔"
    assert repairs[0] == Repair(garbled, expected, "windows-874")


@pytest.mark.parametrize(
    "original",
    [
        "Ugh 🤦\u200d♀\ufe0f this",
        "Cops 👮\u200d♂\ufe0f and 👮🏽\u200d♀\ufe0f here",
        "family 👨\u200d👩\u200d👧 photo",
        "He said “hello there” and I’m fine — ok…",
        "Facepalm 🤦🏻\u200d♂\ufe0f!",
        "thumbs 👍🏽 up",
        "keycap 1\ufe0f\u20e3 first",
        "I love pizza 🍕 and my dog 🐕",
        "love ❤\ufe0f you",
        "rated ⭐⭐⭐ stars",
        "Pokémon café naïve",
        "Ünïcödé über “curly” ‘single’ — dash",
    ],
)
def test_mangled_round_trip(original: str) -> None:
    garbled = mangle_874(original)
    assert garbled != original
    fixed, repairs = repair_text(garbled)
    assert fixed == original
    assert repairs


@pytest.mark.parametrize(
    "thai",
    [
        "สวัสดีครับ ผมชอบกินแกงเขียวหวาน ห้องรกมาก",
        "วันนี้อากาศดีมาก เราไปเที่ยวทะเลกันเถอะ",
        "เธอบอกว่า “ไม่เป็นไร” แล้วก็เดินจากไป…",
    ],
)
def test_mangled_thai_round_trip(thai: str) -> None:
    # ก (E0 B8 81) and แ (E0 B9 81) lose a byte; the ranking restores them.
    fixed, _ = repair_text(mangle_874(thai))
    assert fixed == thai


def test_lost_right_quote_closes_open_quote() -> None:
    fixed, repairs = repair_text("โ€œquotedโ€ and ๐Ÿค”")
    assert fixed == "“quoted” and 🤔"
    assert Repair("โ€", "”", "guessed") in repairs


def test_lost_zwj_before_gender_sign_even_with_open_quote() -> None:
    fixed, _ = repair_text("โ€œshe said ๐Ÿคทโ€โ™€๏ธ")
    assert fixed == "“she said 🤷\u200d♀\ufe0f"


def test_lone_vs16_after_symbol() -> None:
    fixed, _ = repair_text("scales โš–๏ธ and ๐Ÿค”")
    assert fixed == "scales ⚖\ufe0f and 🤔"


def test_pizza_named_in_text_wins() -> None:
    fixed, repairs = repair_text("a slice of pizza ๐Ÿ•")
    assert fixed == "a slice of pizza 🍕"
    assert repairs == (Repair("๐Ÿ•", "🍕", "guessed"),)
    # Without the word, the built-in ranking decides among the readings of F0 9F ? 95.
    fixed, _ = repair_text("look at this ๐Ÿ• wow")
    assert fixed == "look at this 🍕 wow"


def test_nearest_mention_wins() -> None:
    fixed, _ = repair_text("my dog ๐Ÿ• ate my pizza ๐Ÿ•")
    assert fixed == "my dog 🐕 ate my pizza 🍕"


def test_unrecoverable_becomes_replacement_character() -> None:
    # A lone C2 lead: every completion is a C1 control, none is plausible.
    fixed, repairs = repair_text("wow ๐Ÿค” ย ok")
    assert fixed == "wow 🤔 \ufffd ok"
    assert Repair("ย", "\ufffd", "unrecoverable") in repairs


def test_loose_thai_in_mangled_text_does_not_stay() -> None:
    fixed, _ = repair_text("wow ๐Ÿค” ก ok")
    assert not THAI_BLOCK.search(fixed)
    assert fixed == "wow 🤔 \ufffd ok"


def test_separator_nbsp_is_not_a_run() -> None:
    text = "post one ๐Ÿ’ช\n\xa0\npost two"
    fixed, _ = repair_text(text)
    assert fixed == "post one 💪\n\xa0\npost two"


def test_latin_in_otherwise_latin_text() -> None:
    fixed, repairs = repair_text("cafรฉ and Pokรฉmon")
    assert fixed == "café and Pokémon"
    assert repairs == (Repair("รฉ", "é", "windows-874"), Repair("รฉ", "é", "windows-874"))


# --- Windows-1252 and Latin-1 (ftfy) ------------------------------------------------------


@pytest.mark.parametrize(
    ("garbled", "expected", "original"),
    [
        ("Iâ€™m here", "I’m here", "â€™"),
        ("cafÃ© au lait", "café au lait", "Ã©"),
        ("Ã¼ber alles", "über alles", "Ã¼"),
        ("naÃ¯ve", "naïve", "Ã¯"),
        ("costs Â£5", "costs £5", "Â£"),
        ("emoji ðŸ¤” here", "emoji 🤔 here", "ðŸ¤”"),
    ],
)
def test_windows_1252(garbled: str, expected: str, original: str) -> None:
    fixed, repairs = repair_text(garbled)
    assert fixed == expected
    assert repairs[0].original == original
    assert repairs[0].kind == "windows-1252"


def test_windows_1252_c1_control_for_undefined_byte() -> None:
    fixed, _ = repair_text("He said â€œhiâ€\x9d.")
    assert fixed == "He said “hi”."


def test_windows_1252_dropped_byte_is_guessed() -> None:
    garbled = mangle_1252("He said “hi” and left 🤝")
    fixed, repairs = repair_text(garbled)
    assert fixed == "He said “hi” and left 🤝"
    assert any(r.kind == "guessed" for r in repairs)


def test_ftfy_settings_keep_the_rest_of_the_text() -> None:
    # Curly quotes are not uncurled, ligatures and HTML entities stay, no NFC.
    text = "“quoted” ﬁne &amp; cafe\u0301 Iâ€™m\r\nnext"
    fixed, _ = repair_text(text)
    assert fixed == "“quoted” ﬁne &amp; cafe\u0301 I’m\r\nnext"


# --- genuine text is left alone ----------------------------------------------------------------

GENUINE = [
    "สวัสดีครับ ผมชอบกินแกงเขียวหวาน ห้องรกมาก",
    "วันนี้อากาศดีมาก เราไปเที่ยวทะเลกันเถอะ",
    "เธอบอกว่า “ไม่เป็นไร” แล้วก็เดินจากไป…",
    "ราคา ฿250 ต่อคน รวมภาษีแล้ว",
    "โฆษณาชิ้นนี้โกงคนดูชัดๆ ได้…ก็ดี",
    "โค้ชบอกว่าทีมเล่นได้ดี — แต่ยังต้องปรับปรุง",
    "ขอบคุณมากค่ะ 🙏 แล้วเจอกันนะ",
    "ผู้ว่าฯ กล่าวว่า ‘เราจะทำให้ดีที่สุด’ ๑๒๓",
    "iPhone รุ่นใหม่ราคาแพงมาก",
    "รก",
    "แกง",
    "โรงเรียน โคม โจทย์ เกม เขต",
    "café, naïve, Ünïcödé, “curly quotes” — it’s ’ … «déjà» Straße Ærøskøbing",
    "voilà… «très» élégant; SÃO PAULO; São Paulo",
    "Emoji are fine: 🤔 🤦\u200d♀\ufe0f 👮🏽\u200d♂\ufe0f ❤\ufe0f and 1\ufe0f\u20e3",
    "Plain ASCII only.",
    "post\n\xa0\nseparated",
]


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_text_untouched(text: str) -> None:
    fixed, repairs = repair_text(text)
    assert fixed is text
    assert repairs == ()


@given(st.lists(st.sampled_from(" ".join(GENUINE[:9]).split()), min_size=1, max_size=12))
def test_thai_word_salad_untouched(words: list[str]) -> None:
    text = " ".join(words)
    assert repair_text(text)[0] is text


# --- may_need_repair -------------------------------------------------------------------------


def test_may_need_repair_false_on_ascii() -> None:
    assert not may_need_repair(b"plain ascii\n" * 1000)
    assert not may_need_repair(b"")


def test_may_need_repair_false_on_nbsp_separators() -> None:
    data = "first post\n\xa0\nsecond post\n \xa0 \nthird".encode()
    assert not may_need_repair(data)


def test_may_need_repair_false_on_genuine_emoji_and_quotes() -> None:
    data = "It’s “wild” — 🤔🍕 👮\u200d♂\ufe0f… café naïve\n\xa0\n".encode() * 100
    assert not may_need_repair(data)


@pytest.mark.parametrize("text", ["x ๐Ÿค” y", "Iâ€™m", "cafÃ©", "ห้องรกมาก", "x\n" * 600_000 + "Ã©"])
def test_may_need_repair_true(text: str) -> None:
    assert may_need_repair(text.encode())


# --- properties ---------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("abc XYZ.,!?\n'\"")
    + list("\xa0éüñ©°×Ãâ€™œŸšž“”‘’–—…•")
    + list("ก ร ย ฉ เ แ โ ๐ ๏ ธ ค ญ")
    + ["🤔", "🍕", "\u200d", "\ufe0f", "♀", "\x81", "\x9d", "\ufffd"]
)


@given(st.text())
@settings(max_examples=300)
def test_never_raises(text: str) -> None:
    fixed, repairs = repair_text(text)
    assert isinstance(fixed, str)
    assert all(isinstance(r, Repair) for r in repairs)
    if not repairs:
        assert fixed is text


@given(st.lists(ALPHABET, max_size=40).map("".join))
@settings(max_examples=500)
def test_prefilter_is_safe(text: str) -> None:
    fixed, repairs = repair_text(text)
    if not may_need_repair(text.encode()):
        assert fixed is text
        assert repairs == ()


# Characters whose UTF-8 has none of the dropped bytes 81 8D 8F 90 9D, so mangling
# loses nothing and the repair must be exact.
LOSSLESS = [
    c
    for c in "abc xyz,.!?'éüñ©°’‘“—…•😂🤔💪🚨💯🤯🙄😡📱🔒🇹🇭สวัส"
    if not set(c.encode()) & {0x81, 0x8D, 0x8F, 0x90, 0x9D}
]


@given(st.lists(st.sampled_from(LOSSLESS), max_size=30).map("".join))
def test_lossless_mangling_restored_exactly(body: str) -> None:
    original = "🤔 " + body
    fixed, _ = repair_text(mangle_874(original))
    assert fixed == original


@given(st.data())
@settings(max_examples=200)
def test_repair_of_repaired_seed_text_changes_nothing(data: st.DataObject) -> None:
    blocks = seed_blocks()
    block = blocks[data.draw(st.integers(0, len(blocks) - 1))]
    start = data.draw(st.integers(0, len(block)))
    end = data.draw(st.integers(start, len(block)))
    fixed, _ = repair_text(block[start:end])
    again, repairs = repair_text(fixed)
    assert again == fixed
    assert repairs == ()
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in fixed)
