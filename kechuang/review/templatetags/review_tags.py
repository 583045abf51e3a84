"""Template helpers for review state, so templates show a button only when the move would be allowed."""

import rules
from django import template

register = template.Library()


@register.filter
def withdrawable(filing, user):
    """``{% if filing|withdrawable:user %}``: the ``can_withdraw`` rule (W7). No query for a filing that is not in
    review, or one loaded through ``transitions.with_last_action``; otherwise one query."""
    return rules.test_rule("can_withdraw", user, filing)
