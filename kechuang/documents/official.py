"""Official documents stay Chinese whatever the UI language (issue 12, item 7): the 备案表, the 完整备案材料, the
Excel exports and the 推荐汇总表 are what units sign, stamp and file. ``chinese`` renders a function's output
under zh-hans: labels, choices, country names and 流程阶段 all come out as the spec writes them."""

import functools

from django.conf import settings
from django.utils import translation


def chinese(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return run
