"""The questions users asked, answered from the data as the codebook defines it: each returns
the documented rows (issue 12's examples). They fail if a category drifts from its definition
or a series loses a row."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

import kdata

REPO = Path(__file__).resolve().parent.parent


def test_missile_tests_per_year_match_the_reference_list() -> None:
    events = kdata.load_events()
    launches = events[events["event_type"].isin(["missile-test", "satellite-launch"])]
    per_year = launches["start_date"].dt.year.value_counts()
    with (REPO / "tools" / "reference" / "launch_days.csv").open(encoding="utf-8") as f:
        expected = pd.Series([int(r["date"][:4]) for r in csv.DictReader(f)
                              if r["status"] == "expected"]).value_counts()
    # from 1994 on, one reference row per launch day (the May 1993 test spans two listed days)
    assert per_year[per_year.index >= 1994].sort_index().to_dict() == \
        expected[expected.index >= 1994].sort_index().to_dict()
    assert per_year[2022] == 37 and per_year[2023] == 27 and per_year[2024] == 19


def test_kim_xi_meetings_are_the_five_summits() -> None:
    roles = kdata.load_event_actors()
    leaders = roles[roles["role"] == "leader"]
    both = (set(leaders.loc[leaders["actor_id"] == "kim-jong-un", "event_id"])
            & set(leaders.loc[leaders["actor_id"] == "xi-jinping", "event_id"]))
    assert sorted(both) == ["2018-kim-xi-beijing-first", "2018-kim-xi-beijing-third",
                            "2018-kim-xi-dalian", "2019-kim-xi-beijing-fourth",
                            "2019-xi-pyongyang-visit"]


def test_security_council_sanctions_resolutions() -> None:
    decisions = kdata.load("un_decisions")
    sanctions = decisions[decisions["sanctions"].fillna(False).astype(bool)]
    assert sorted(sanctions["number"].tolist()) == [1718, 1874, 2087, 2094, 2270, 2321, 2356,
                                                    2371, 2375, 2397]
    events = kdata.load_events().set_index("event_id")
    assert set(events.loc[decisions["event_id"], "event_type"]) == {"un-action"}


def test_deadliest_incidents_since_1999() -> None:
    events = kdata.load_events()
    deaths = kdata.load("measures").query("measure == 'deaths'")
    deaths = deaths.assign(figure=deaths["best"].fillna(deaths["low"]))
    incidents = events[(events["event_type"] == "incident") & (events["start_date"] >= "1999-01-01")]
    worst = (deaths[deaths["event_id"].isin(incidents["event_id"])]
             .groupby("event_id")["figure"].max().sort_values(ascending=False))
    assert worst.index[0] == "2010-cheonan-sinking" and worst.iloc[0] == 46
    assert {"1999-first-yeonpyeong-naval-clash", "2002-second-yeonpyeong-naval-clash",
            "2010-yeonpyeong-shelling"} <= set(worst.index)
    assert set(events.set_index("event_id").loc[worst.index, "plover_category"]) <= {"ASSAULT", "COERCE"}


def test_events_during_moon_jae_ins_presidency() -> None:
    office = "President of the Republic of Korea"
    (term,) = kdata.load("offices").query("actor_id == 'moon-jae-in' and office == @office").itertuples()
    assert (term.start_date, term.end_date) == (pd.Timestamp("2017-05-10"), pd.Timestamp("2022-05-09"))
    events = kdata.load_events()
    during = events[events["start_date"].between(term.start_date, term.end_date)]
    assert {"2018-panmunjom-summit", "2019-hanoi-summit", "2022-hwasong-17-icbm-test"} <= set(during["event_id"])
    assert "2017-moon-jae-in-inauguration" in set(during["event_id"])
    with_moon = kdata.events_with_office_holder(office, term.start_date, term.end_date)
    assert set(with_moon["actor_id"]) == {"moon-jae-in"}
    assert {"2018-panmunjom-summit", "2018-pyongyang-summit"} <= set(with_moon["event_id"])
    assert kdata.office_holders(office, "2019-02-27")["actor_id"].tolist() == ["moon-jae-in"]


def test_every_round_of_the_six_party_talks() -> None:
    """Six rounds, their phases and the heads-of-delegation meetings: 13 events, 2003-2008."""
    events = kdata.load_events()
    rounds = events[events["series"] == "six-party-talks"].sort_values("start_date")
    assert len(rounds) == 13
    assert rounds["start_date"].iloc[0] == pd.Timestamp("2003-08-27")
    assert rounds["start_date"].iloc[-1] == pd.Timestamp("2008-12-08")
    assert (rounds["event_type"] == "multilateral-talks").all()


def test_heads_of_government_on_a_day() -> None:
    """Who led the governments around the peninsula on the day of the first Six-Party round."""
    day = "2003-08-27"
    expected = {
        "President of the United States": "george-w-bush",
        "Prime Minister of Japan": "junichiro-koizumi",
        "Premier of the State Council of the People's Republic of China": "wen-jiabao",
        "President of the Russian Federation": "vladimir-putin",
        "Premier of the Democratic People's Republic of Korea": "hong-song-nam",
    }
    for office, actor in expected.items():
        assert kdata.office_holders(office, day)["actor_id"].tolist() == [actor], office


def test_kim_il_sung_met_brezhnev_and_ceausescu_in_person() -> None:
    """Kim Il Sung's meetings are both sides' summits: each names both leaders."""
    roles = kdata.load_event_actors()
    leaders = roles[roles["role"] == "leader"]
    kim = set(leaders.loc[leaders["actor_id"] == "kim-il-sung", "event_id"])
    for counterpart in ("leonid-brezhnev", "nicolae-ceausescu", "ho-chi-minh", "janos-kadar"):
        met = kim & set(leaders.loc[leaders["actor_id"] == counterpart, "event_id"])
        assert met, counterpart
