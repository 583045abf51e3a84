"""Template helpers for review state, so templates show a button only when the move would be allowed."""

from django import template

from kechuang.review import transitions

register = template.Library()


@register.filter
def withdrawable(filing, user=None):
    """``{% if filing|withdrawable:user %}``: 撤销 is possible now (W7). No query for a filing that is not in
    review, or one loaded through ``transitions.with_last_action``; otherwise one query."""
    return transitions.can_withdraw(filing, user)
