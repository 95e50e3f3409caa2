"""Patterns an audit of random events found against the codebook (release 2.2.0), held across
the whole table: each test failed on the rows that the audit's fixes corrected."""

from __future__ import annotations

import re

import pytest

import kdata


def test_soviet_era_events_are_coded_with_the_soviet_union() -> None:
    """The codebook keeps the alpha-3 code a state had: Moscow before 26 December 1991 is SUN."""
    events = kdata.load_events()
    soviet_era = events[events["start_date"] < "1991-12-26"]
    assert (soviet_era["country"] != "RUS").all(), soviet_era.loc[soviet_era["country"] == "RUS", "event_id"].tolist()


def test_actors_of_the_soviet_era_are_coded_with_the_soviet_union() -> None:
    """The same rule for the people and bodies linked to those events: Molotov at Geneva in 1954
    acted for the USSR, not for Russia (he was coded RUS until 2.34.0)."""
    events = kdata.load_events().set_index("event_id")
    countries = kdata.load_actors()[["actor_id", "country"]]
    links = kdata.load_event_actors().merge(countries, on="actor_id")
    soviet_era = links["event_id"].map(events["start_date"]) < "1991-12-26"
    wrong = links[soviet_era & (links["country"] == "RUS")]
    assert wrong.empty, wrong[["event_id", "actor_id"]].values.tolist()


def test_no_text_holds_a_note_to_its_editor() -> None:
    """Public text says what is known, not what a contributor meant to check later (an actor's
    description said "adjust if the dataset uses SUN" until 2.34.0)."""
    editorial = re.compile(r"\b(?:TODO|FIXME|TBD)\b|adjust if|if the dataset|to be checked",
                           re.IGNORECASE)
    found = []
    for name, frame in kdata.load_all().items():
        for column, texts in frame.select_dtypes("string").items():
            texts = texts.dropna()
            found += [(name, column, text[:60]) for text in texts[texts.str.contains(editorial)]]
    assert not found, found


def test_states_that_tracked_a_launch_are_monitors_not_observers() -> None:
    """An observer attended; a state or agency that tracked a launch or a test did not."""
    events = kdata.load_events().set_index("event_id")
    roles = kdata.load_event_actors().merge(kdata.load_actors()[["actor_id", "actor_type"]], on="actor_id")
    tracked = roles["event_id"].map(events["event_type"]).isin(["missile-test", "satellite-launch", "nuclear-test"])
    wrong = roles[tracked & (roles["role"] == "observer") & (roles["actor_type"] != "person")]
    assert wrong.empty, wrong[["event_id", "actor_id"]].values.tolist()


def test_a_site_named_as_an_area_is_neither_exact_nor_the_city() -> None:
    """'From the Kaechon area', 'near Kusong' or 'off Hodo' places the event near the site: not
    at it (exact), nor inside the city it names (city)."""
    events = kdata.load_events()
    sites = kdata.load_sites().set_index("site_id")["name"]
    wrong = []
    for e in events[events["site_precision"].isin(["exact", "city"])].itertuples():
        name = re.escape(sites[e.site_id].split(" (")[0].split()[0])
        text = f"{e.title} {e.summary}"
        if re.search(rf"(near|around|off)\s+(the\s+)?(coast of\s+|waters off\s+)?{name}|from the\s+{name}"
                     rf"|{name}\s+(area|region|peninsula)", text, re.I):
            wrong.append(e.event_id)
    assert not wrong, wrong


def test_the_security_council_hosts_its_own_decisions() -> None:
    """The Council adopts (or fails to adopt) its decisions: it is their host, not their subject."""
    decided = set(kdata.load_un_decisions().query("body == 'security-council'")["event_id"])
    roles = kdata.load_event_actors()
    wrong = roles[(roles["actor_id"] == "un-security-council") & (roles["role"] == "subject")
                  & roles["event_id"].isin(decided)]
    assert wrong.empty, wrong["event_id"].tolist()


def test_no_launch_cites_a_report_of_another_launch_day() -> None:
    """A source titled as the report of one launch day reports no other (it may give context)."""
    import pandas as pd

    events = kdata.load_events().set_index("event_id")
    titles = kdata.load_publications().set_index("publication_id")["title"]
    wrong = []
    sources = kdata.load_event_sources()
    for row in sources[sources["kind"].isin(["report", "text", "account"])].itertuples():
        match = re.search(r"report on the North Korean launch of (\d{4}-\d{2}-\d{2})", titles[row.publication_id])
        if not match:
            continue
        start, end = events.loc[row.event_id, ["start_date", "end_date"]]
        if not start <= pd.Timestamp(match.group(1)) <= (start if pd.isna(end) else end):
            wrong.append((row.event_id, row.publication_id))
    assert not wrong, wrong


def test_a_summit_of_two_states_is_not_multilateral() -> None:
    """The codebook's multilateral track is among three or more states: a summit whose leaders
    come from two states is bilateral (its track names the pair, or 'other')."""
    roles = kdata.load_event_actors().merge(kdata.load_actors()[["actor_id", "country"]], on="actor_id")
    events = kdata.load_events()
    summits = events[(events["event_type"] == "summit") & (events["track"] == "multilateral")]
    leaders = roles[(roles["role"] == "leader") & roles["event_id"].isin(summits["event_id"])]
    states = leaders.groupby("event_id")["country"].nunique()
    assert (states >= 3).all(), states[states < 3].to_dict()


#: URLs of pages that list other pages (a site's search results, a catalogue, a category or
#: tag index, a topic listing by date): they report no event themselves and change as they grow.
LISTING_PAGE = re.compile(r"/search\?|/search-results/|/catalog\?|/category/|/tag/|/country/\d+/date")


def test_no_event_cites_a_listing_page() -> None:
    """An event's sources are pages about it (or texts, references, background), never a page
    that lists search results or a catalogue: the 2.10.0 audit found eleven such citations,
    one of them standing as an event's only report."""
    publications = kdata.load_publications().set_index("publication_id")["url"]
    sources = kdata.load_event_sources()
    urls = sources["publication_id"].map(publications).fillna("")
    wrong = sources[urls.str.contains(LISTING_PAGE)]
    assert wrong.empty, wrong[["event_id", "publication_id"]].values.tolist()


def test_the_security_council_does_not_monitor_launches_or_tests() -> None:
    """A monitor tracked the event from outside; the Council met on launches and tests
    afterwards, and those meetings are un-action events of their own (audit of 2.13.1)."""
    events = kdata.load_events().set_index("event_id")
    roles = kdata.load_event_actors()
    tested = roles["event_id"].map(events["event_type"]).isin(
        ["missile-test", "satellite-launch", "nuclear-test"])
    wrong = roles[tested & (roles["actor_id"] == "un-security-council")
                  & (roles["role"] == "monitor")]
    assert wrong.empty, wrong["event_id"].tolist()


def test_nobody_is_linked_as_leader_of_a_nuclear_test() -> None:
    """`leader` means taking part in person; the cited pages show Kim Jong Un signing orders or
    inspecting a device elsewhere, never at the test site (audit of 2.13.1)."""
    events = kdata.load_events().set_index("event_id")
    roles = kdata.load_event_actors()
    tested = roles["event_id"].map(events["event_type"]) == "nuclear-test"
    wrong = roles[tested & (roles["role"] == "leader")]
    assert wrong.empty, wrong[["event_id", "actor_id"]].values.tolist()


def test_a_decision_is_not_documented_by_the_text_of_another_resolution() -> None:
    """`un_decisions.publication_id` is the decision's own text or record: a publication titled
    as another numbered resolution is not it (S/RES/2345 pointed at 2569's text, 2.13.1)."""
    titles = kdata.load_publications().set_index("publication_id")["title"]
    wrong = []
    for row in kdata.load_un_decisions().dropna(subset=["number"]).itertuples():
        named = re.findall(r"[Rr]esolution (\d{2,4})\b", titles[row.publication_id])
        if named and str(int(row.number)) not in named:
            wrong.append((row.event_id, titles[row.publication_id]))
    assert not wrong, wrong


def test_one_page_is_one_publication() -> None:
    """The same article under its desktop and mobile host (www., m., m-) is one publication,
    cited once; two rows for one page split its citations (Yonhap's en. and m-en. copies of
    one report were two publications on one event in 2.14.0)."""
    seen: dict[str, str] = {}
    twice = []
    for row in kdata.load_publications().dropna(subset=["url"]).itertuples():
        scheme, _, rest = row.url.partition("://")
        key = scheme + "://" + re.sub(r"^(www\.|m\.|m-)", "", rest).rstrip("/")
        if key in seen:
            twice.append((seen[key], row.publication_id))
        seen[key] = row.publication_id
    assert not twice, twice


def test_one_actor_is_one_row() -> None:
    """An actor stored under two identifiers splits its events between them, so a count of
    what it took part in misses some (the European Union was `eu` on one event and
    `european-union` on two until 2.33.0)."""
    actors = kdata.load_actors()
    twice = actors[actors.duplicated(["name", "actor_type"], keep=False)]
    assert twice.empty, twice[["actor_id", "name"]].values.tolist()


def test_korean_language_archives_are_marked_korean() -> None:
    """Hankyung's and Seoul Shinmun's archives of the last century and the JoongAng Ilbo at
    joongang.co.kr/article are Korean pages (their English editions live at other addresses);
    18 of them were marked English before 2.15.0."""
    korean = re.compile(r"//(?:www\.)?(?:hankyung\.com/(?:news/|politics/)?article/19"
                        r"|seoul\.co\.kr/news/19|joongang\.co\.kr/article/)")
    publications = kdata.load_publications().dropna(subset=["url"])
    marked = publications["language"] != "ko"
    wrong = publications[publications["url"].str.contains(korean) & marked]
    assert wrong.empty, wrong["publication_id"].tolist()


def test_a_chronology_is_a_reference_not_a_report() -> None:
    """A timeline, chronology, backgrounder or year's round-up lists events: `reference` (or
    background), never the `report` that makes an event first-hand (four were, in 2.16.0)."""
    chronology = re.compile(r"\b(?:timeline|chronology|backgrounder|key developments|key dates"
                            r"|factbox|winding road|round-up)\b", re.IGNORECASE)
    titles = kdata.load_publications().set_index("publication_id")["title"]
    sources = kdata.load_event_sources()
    listed = sources["publication_id"].map(titles).str.contains(chronology)
    wrong = sources[listed & sources["kind"].isin(["report", "text", "account"])]
    assert wrong.empty, wrong[["event_id", "publication_id"]].values.tolist()


@pytest.mark.parametrize(("leader", "short"),
                         [("Kim Jong Un", "|Kim-supervised"), ("Kim Jong Il", "")])
def test_a_launch_the_leader_watched_links_him_as_leader(leader: str, short: str) -> None:
    """A leader 'took part in person': where a launch's summary says he watched, guided,
    oversaw or supervised it (as state media report it), he is linked as its leader, so that
    counting the launches he attended does not depend on reading the summaries (the check
    covers Kim Jong Il since 2.35.0, which links him at the 2009 satellite launch)."""
    events = kdata.load_events()
    launches = events[events["event_type"].isin(["missile-test", "satellite-launch"])]
    present = (rf"(?<!probably with ){leader}(?:, [^,]+,)? (?:had |again )?"
               r"(?:watch|guid|overs|supervis)"
               rf"|(?:overseen by|watched by|(?<!probably )with) {leader}{short}"
               rf"|{leader}'s supervision")
    attended = launches[launches["summary"].str.contains(present)]["event_id"]
    actor_id = leader.lower().replace(" ", "-")
    roles = kdata.load_event_actors().query("actor_id == @actor_id and role == 'leader'")
    missing = sorted(set(attended) - set(roles["event_id"]))
    assert not missing, missing


def _orphans(file: str) -> list[str]:
    """The rows of ``file`` that no other row refers to (`kdata validate --orphans`)."""
    return sorted(p.value for p in kdata.validate(orphans=True).warnings if p.file == file)


def test_every_publication_documents_something() -> None:
    """Publications are the evidence for other rows: one that no row cites is a link forgotten or
    the leftover of one removed (`kdata validate --orphans` lists them in a contributor's fork)."""
    assert not _orphans("data/publications.csv")


def test_every_actor_takes_part_in_something() -> None:
    """An actor is in the table for the events it took part in (or as the body one of them
    belongs to); one linked to nothing is a link forgotten or the leftover of one removed, and
    inflates a count of actors (MacArthur stayed after his link was removed in 2.6.0; Kanter, Jon
    Jong Su and Suh Choo-suk were linked to nothing until 2.34.0)."""
    assert not _orphans("data/actors.csv")


def test_no_report_is_published_before_its_event() -> None:
    """A report is written at the time about the event itself: a page published more than a day
    before an event dated to the day (a day allows for the time zones between Korea and the
    US) announced it in advance, which makes it background."""
    import pandas as pd

    published = kdata.load_publications()[["publication_id", "published"]]
    dated = kdata.load_events()[["event_id", "start_date", "date_precision"]]
    sources = (kdata.load_event_sources().merge(published, on="publication_id")
               .merge(dated, on="event_id"))
    early = sources["published"] < sources["start_date"] - pd.Timedelta(days=1)
    wrong = sources[early & sources["kind"].isin(["report", "account"])
                    & (sources["date_precision"] == "day")]
    assert wrong.empty, wrong[["event_id", "publication_id"]].values.tolist()


def _notes_naming_cns_without_citing_it(tables: dict) -> list[str]:
    """Events whose note, or whose launch rows' note, names the CNS database although none of
    the event's sources is a copy of it or another CNS page."""
    cns = tables["publications"].loc[
        tables["publications"]["publisher"].str.contains(r"\bCNS\b", na=False), "publication_id"]
    citing = set(tables["event_sources"].loc[
        tables["event_sources"]["publication_id"].isin(cns), "event_id"])
    named = set()
    for table in ("events", "launches"):
        notes = tables[table].dropna(subset=["note"])
        named |= set(notes.loc[notes["note"].str.contains(r"\bCNS\b"), "event_id"])
    return sorted(named - citing)


def test_a_note_that_names_the_cns_database_cites_it() -> None:
    """A note names only sources the event cites (codebook): eleven launch notes said the CNS
    database has no row for their day without citing it (2.22.0 cites it on ten and drops the
    sentence from one)."""
    assert not _notes_naming_cns_without_citing_it(kdata.load_all())


def test_a_page_whose_address_names_its_language_is_marked_in_it() -> None:
    """A page of de.wikipedia.org is German, and one under press.un.org/fr/ French: three pages
    of the German and Italian Wikipedias (2.24.1) and a French UN press release (2.31.0) were
    marked English. Wikis without a two-letter ISO 639-1 code (Scots) are left out."""
    publications = kdata.load_publications().dropna(subset=["url"])
    wiki = r"([a-z]{2})\.(?:m\.)?(?:wikipedia|wikisource)\.org"
    united_nations = r"[a-z.]*\bun\.org/(ar|en|es|fr|ru|zh)"  # its six languages, not /sg/
    named = publications["url"].str.extract(rf"^https?://(?:{wiki}|{united_nations})/")
    language = named[0].fillna(named[1])
    wrong = publications[language.notna() & (language != publications["language"])]
    assert wrong.empty, wrong["publication_id"].tolist()


def test_a_count_of_families_is_not_a_count_of_persons() -> None:
    """A page that counts families reunited gives no head count: a ``persons`` measure must not
    rest on it (round 3 found 65 families stored as 65 participants)."""
    measures = kdata.load_measures()
    families = measures[measures["note"].fillna("").str.contains(r"\bfamilies\b", case=False)]
    assert families.loc[families["unit"] == "persons", "measure_id"].tolist() == []


#: Letters of a script, and the languages a title written in it can be in.
SCRIPTS = {
    "Hangul": (r"[\uac00-\ud7a3]", {"ko"}),
    "kana": (r"[\u3040-\u30ff]", {"ja"}),
    "Han": (r"[\u4e00-\u9fff]", {"zh", "ja", "ko"}),
    "Cyrillic": (r"[\u0400-\u04ff]", {"ru", "uk", "bg", "sr", "mn"}),
}


def test_a_title_in_another_script_is_not_marked_english() -> None:
    """A headline in Chinese, Japanese, Korean or Russian is the page's own: fifteen People's
    Daily, Russian and Japanese pages were marked English (2.30.1; round 3 found a Spanish one)."""
    publications = kdata.load_publications()
    wrong = set()
    for pattern, languages in SCRIPTS.values():
        written = publications["title"].str.contains(pattern, regex=True)
        wrong |= set(publications.loc[written & ~publications["language"].isin(languages),
                                      "publication_id"])
    assert not wrong, sorted(wrong)
