from django import template

from cases.guidance import SELF_TEST_CLOSING, SELF_TEST_QUESTIONS

register = template.Library()


@register.inclusion_tag("cases/self_test.html")
def self_test(open_: bool = False) -> dict:
    """The collapsible zelf-intervisietest for members who have no case (yet)."""
    return {"questions": SELF_TEST_QUESTIONS, "closing": SELF_TEST_CLOSING, "open": open_}
