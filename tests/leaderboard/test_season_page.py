"""The Season page: name, day N of 27, weekly challenges with status and links."""


def test_empty_workspace_says_what_to_do(app_workspace, lb):
    at = lb.open_page("season")
    lb.assert_clean(at)
    text = lb.page_text(at)
    assert "no season yet" in text.lower()
    assert "kit challenge add" in text


def test_season_lists_its_challenges_with_status_and_links(populated, lb):
    at = lb.open_page("season")
    lb.assert_clean(at)
    assert at.title[0].value == "27 Days of Testing"
    text = lb.page_text(at)
    assert "Day 4 of 27" in text and "#27DaysOfTests" in text
    assert "Week 1 · Iris iris" in text and "Week 2 · Iris iris-closed" in text
    assert ":green-badge[open]" in text and ":gray-badge[closed]" in text
    assert "left" in text  # time left on the open challenge
    links = [link for link in at.get("page_link")]
    assert {link.proto.query_string for link in links} >= {"challenge=iris", "challenge=iris-closed"}


def test_default_page_is_the_season(populated, lb):
    at = lb.open_page()
    lb.assert_clean(at)
    assert at.title[0].value == "27 Days of Testing"
