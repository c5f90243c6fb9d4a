"""Mojibake as scrapers produce it, and the two bundled samples that carry it.

Scraped threads reach us with their emoji and punctuation garbled: the page's UTF-8
bytes were decoded with a legacy single-byte code page and the result saved as UTF-8
again.  The seed thread shows the Thai code page at work (🤔 became `๐Ÿค”`, ’ became
`โ€™`); western pages show the familiar Windows-1252 kind (`Iâ€™m`, `cafÃ©`).  The
repair code has to undo both, so the samples are generated from clean text by the
same transformations, byte for byte, rather than typed in garbled by hand.

`python -m bench.mangle` rewrites both samples in `sample_threads/`;
`python -m bench.mangle --check` only reports whether they are up to date.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path

from bench.seed_text import seed_thread

# Bytes that neither Windows-874 nor Windows-1252 defines: the scrapers' decoder
# silently dropped them, which is why the seed's mojibake is lossy.
DROPPED_874 = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_threads"


def _byte_table(codepages: tuple[str, ...]) -> str:
    """256 characters: what each byte decodes to under the first code page defining it.

    Bytes no code page defines map to U+FFFE, which `codecs.charmap_decode` treats as
    undefined; callers remove or replace those bytes first.
    """
    chars = []
    for value in range(256):
        for codepage in codepages:
            try:
                chars.append(bytes([value]).decode(codepage))
                break
            except UnicodeDecodeError:
                continue
        else:
            chars.append("\ufffe")
    return "".join(chars)


_TABLE_874 = _byte_table(("cp874", "cp1252"))
# Latin-1 as the fallback keeps the five bytes Windows-1252 leaves undefined as C1
# controls, which is what browsers and most "sloppy" decoders do.
_TABLE_1252 = _byte_table(("cp1252", "latin-1"))


def mangle_874(text: str) -> str:
    """Garble text the way the seed thread is garbled.

    Encode as UTF-8, read each byte as Windows-874 (Thai), falling back to Windows-1252
    for bytes Thai leaves undefined, and drop the bytes neither defines.  Done with
    `charmap_decode` rather than a per-byte loop so 20 MB benchmark input stays quick.
    """
    data = text.encode("utf-8").translate(None, DROPPED_874)
    return codecs.charmap_decode(data, "strict", _TABLE_874)[0]


def mangle_1252(text: str) -> str:
    """Garble text the classic western way: UTF-8 bytes read as Windows-1252.

    The five bytes Windows-1252 leaves undefined become the C1 control characters
    Latin-1 gives them, so `”` ends up as `â€` followed by an invisible U+009D.
    """
    return codecs.charmap_decode(text.encode("utf-8"), "strict", _TABLE_1252)[0]


DELIVERY_TITLE = "Council approves fines for delivery drivers double-parking on Harbor Street"

DELIVERY_ARTICLE = (
    "The city council voted 7-2 on Tuesday to introduce a $75 fine for drivers who stop in "
    "the traffic lane on Harbor Street, the narrow restaurant strip that has become one of "
    "the busiest pickup points for food delivery apps in the city.",
    "Residents had complained for more than a year about cars and scooters idling with "
    "hazard lights on while drivers ran inside to collect orders. A traffic count "
    "commissioned by the council in March recorded an average of 41 double-parked vehicles "
    "per hour between 6 p.m. and 9 p.m. on Fridays, and the transit authority says the "
    "number 14 bus loses up to eleven minutes on the four blocks at peak times.",
    "The ordinance also converts six metered parking spaces into a “pickup zone” limited "
    "to five-minute stops. Restaurant owners had asked for twelve.",
    "“We’re not trying to punish people who are working hard for not a lot of money,” "
    "said council member Dana Okafor, who sponsored the measure. “We’re trying to keep a "
    "bus route moving and a bike lane clear.”",
    "Drivers’ groups said the fines would fall on workers rather than on the platforms that "
    "set delivery time targets. Enforcement begins on the first of next month, with "
    "warnings only for the first two weeks.",
)

DELIVERY_POSTS = (
    "So the fine is on the driver, not on the app that gives them eleven minutes to cross "
    "town 🙄 Classic.",
    "I live above the pizza place on Harbor and honestly… this is overdue. Every Friday "
    "it’s horns from 6 to 10 and somebody’s hazards blinking into my bedroom 🚨\n\n"
    "Not blaming the drivers, blaming the setup. But something had to give.",
    "Six spaces. For the entire strip. With what, fourteen restaurants? 🤦‍♀️",
    "👮‍♂️: “License and registration.”\nme: “I have a large pepperoni 🍕 and four minutes.”",
    "The pickup zone is the right idea, the size is the joke. Restaurants asked for twelve "
    "and got six, so we’ll be right back here in a year 🤷‍♂️",
    "Former driver here. A few things people don’t know:\n\n"
    "- the app doesn’t care where you park, only when you arrive\n"
    "- if you circle for a spot your “on-time rate” drops and you get offered fewer orders\n"
    "- $75 is most of a Friday night for some people\n\n"
    "So yeah, people double-park. It isn’t laziness 💸",
    "Fair points above but the bus still can’t get through. The 14 was 20 minutes late "
    "three Fridays in a row because of this 🚌",
    "Genuine question — who enforces this? Parking officers go home at 6 😂",
    "The article says enforcement starts next month with two weeks of warnings. Doesn’t say "
    "who’s doing it though 🤔",
    "Okafor: “we’re not trying to punish people”\nalso Okafor: *introduces a fine*\n\nPick one 🤦‍♀️",
    "Honestly the restaurants could help. Hand the bag out the door instead of making "
    "drivers wait inside while the 🍕 comes out of the oven.",
    "To the former driver: thanks, that list was eye-opening. I had no idea the on-time "
    "thing worked like that 😬",
    "Is nobody going to mention the bike lane? I got doored there twice 🚲🤕 Any improvement "
    "is a win for me.",
    "7-2, and the two no votes represent the other side of the river where none of this "
    "happens. Interesting 👀",
    "Give it two weeks and there’ll be a video of a 👮‍♂️ writing a ticket while the driver "
    "sprints out with three pizzas 🍕🍕🍕",
    "What’s a “pickup zone” going to do when it’s full of regular cars because parking "
    "there is free after 8? 🤦‍♀️🤦‍♀️",
    "I’ll say it: the apps should pay for the zone. They take a cut of every single order "
    "on that street 💰",
    "Wait, so if I stop for 30 seconds to drop my kid at the dance studio on Harbor I get "
    "fined too? Or is it only delivery?\n\n"
    "The headline says “delivery drivers” but I can’t see how they’d tell the difference 🤔",
    "It’s any vehicle stopped in the traffic lane. The “delivery” part is just how the "
    "news framed it — the ordinance itself never says delivery 📄",
    "Update from someone who works at the pizza place: we already started running orders "
    "out to the curb. Took one staff meeting 👍🍕",
)

CAFE_TITLE = "Old town café terraces to lose a third of their tables under new pavement rule"

CAFE_ARTICLE = (
    "Cafés and restaurants in the old town will have to leave 1.8 metres of clear pavement "
    "in front of their terraces from April, under a rule the council’s transport committee "
    "approved on Thursday. Officials estimate that the average terrace on Market Square "
    "and Mill Lane will lose about a third of its tables.",
    "The committee said the change follows complaints from wheelchair users and parents "
    "with prams, and brings the town in line with national accessibility guidance. The "
    "annual terrace permit rises from €280 to €340 at the same time.",
    "“This is non-negotiable where access is concerned,” said committee chair Irene "
    "Walsh, adding that owners could apply for “parklet” platforms in some parking bays. "
    "Public consultation on the details closes on the 14th.",
)

CAFE_POSTS = (
    "I’m all for wheelchair access, but this will finish off the little places. The café "
    "on Mill Lane has four tables inside — the outside ones are half their business.",
    "“1.8 metres of clear path” is not a lot to ask. Try getting a pram past Café Rosé "
    "on a Saturday morning.",
    "Rosé has put out eight tables for years on a permit for five. Enforcing the old rule "
    "would’ve fixed most of this.",
    "The permit goes UP to €340 while they lose a third of the space? That’s the naïve "
    "part of the plan.",
    "My résumé has three summers of waiting tables at a terrace café, and I can tell you "
    "the terrace is the whole margin. Inside covers the rent, outside pays the staff.\n\n"
    "Cut a third of the tables and somebody loses their summer job. Probably two somebodies.",
    "Fine by me. I’m tired of stepping into the road because someone’s dog is sprawled "
    "across the pavement under a table 🐕",
    "What the council could do instead:\n\n"
    "– parklets in the parking bays (worked in Lyon, works in Montréal)\n"
    "– full terraces after 6 p.m. only, when the pavements are quiet\n"
    "– measure each street instead of one rule for all of them",
    "The façade renovations on Market Square were supposed to come with wider pavements. "
    "What happened to that?",
    "Best crème brûlée in town is at that corner place and I will eat it standing up if "
    "I have to 😄",
    "Slightly off topic but the jalapeño cornbread at the food truck by the bridge is "
    "10/10. Also has no tables at all, so it’s future-proof.",
    "It’s 28°C in July and the shade is all outside. Nobody is going to sit indoors.",
    "The consultation closes on the 14th — write in. It’s the only thing that ever changes "
    "anything here.",
)

SAMPLES = {
    "harbor-street-delivery-fines.txt": (
        mangle_874,
        DELIVERY_TITLE,
        DELIVERY_ARTICLE,
        DELIVERY_POSTS,
    ),
    "old-town-cafe-terraces.txt": (mangle_1252, CAFE_TITLE, CAFE_ARTICLE, CAFE_POSTS),
}


def sample_bytes(name: str) -> bytes:
    """The exact bytes of bundled sample `name`, mangled after layout.

    Only the text is mangled, never the NO-BREAK SPACE separator lines: the scraper
    wrote those itself, after the page text had already been garbled.
    """
    mangle, title, article, posts = SAMPLES[name]
    text = seed_thread(mangle(title), map(mangle, article), map(mangle, posts))
    return text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the samples, or with --check report which are stale (exit status 1)."""
    parser = argparse.ArgumentParser(prog="python -m bench.mangle", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--dir", type=Path, default=SAMPLE_DIR, help="sample_threads folder")
    args = parser.parse_args(argv)
    stale = 0
    for name in SAMPLES:
        path = args.dir / name
        data = sample_bytes(name)
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                print(f"stale: {path}")
                stale += 1
        else:
            path.write_bytes(data)
            print(f"wrote {path} ({len(data):,} bytes)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
