"""国别（地区） catalogue (issue 12 item 3): ISO 3166-1 codes only, CLDR names with the reviewed overrides, pinyin
order, 中国香港/中国澳门/中国台湾 as regions behind a setting."""

from collections import Counter

from django.test import override_settings
from django.utils import translation
from pypinyin import lazy_pinyin

from kechuang import countries
from kechuang.filings.forms import PartnerForm


def flat(choices):
    out = []
    for value, label in choices:
        out.extend(label if isinstance(label, list) else [(value, label)])
    return out


def test_every_iso_3166_code_once_and_nothing_else():
    assert len(countries.ISO_3166_1) == 249
    listed = [code for code, _ in flat(countries.choices(include_china=True, regions=True))]
    assert Counter(listed) == Counter(countries.ISO_3166_1)
    assert "XK" not in listed and "EU" not in listed
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in listed)


def test_no_two_labels_equal_in_either_language():
    for language in ("zh-hans", "en"):
        labels = [label for _, label in flat(countries.choices(language, include_china=True, regions=True))]
        assert len(labels) == len(set(labels)) == 249, language


def test_samoa_is_not_american_samoa_and_the_known_errors_are_gone():
    zh = countries.names("zh")
    assert zh["WS"] == "萨摩亚"
    assert zh["AS"] == "美属萨摩亚"
    assert (zh["NP"], zh["TJ"], zh["BW"], zh["MK"], zh["SZ"]) == (
        "尼泊尔",
        "塔吉克斯坦",
        "博茨瓦纳",
        "北马其顿",
        "埃斯瓦蒂尼",
    )
    assert not {"尼珀尔", "塔吉克斯斯坦", "博兹瓦纳", "马其顿", "斯威士兰", "美属萨摩亚群岛"} & set(
        zh.values()
    )


def test_the_override_table():
    zh, en = countries.names("zh"), countries.names("en")
    assert (zh["TW"], zh["HK"], zh["MO"], zh["PS"]) == ("中国台湾", "中国香港", "中国澳门", "巴勒斯坦")
    assert (en["TW"], en["HK"], en["MO"]) == ("Taiwan, China", "Hong Kong, China", "Macao, China")
    assert en["SZ"] == "Eswatini"


def test_chinese_list_in_pinyin_order_regions_apart_china_absent():
    choices = countries.choices("zh-hans")
    *plain, (group, regions) = choices
    assert group == "地区"
    assert regions == [("HK", "中国香港"), ("MO", "中国澳门"), ("TW", "中国台湾")]
    codes = [code for code, _ in plain]
    assert "CN" not in codes and not set(countries.CHINESE_REGIONS) & set(codes)
    labels = [label for _, label in plain]
    assert labels[:6] == ["阿尔巴尼亚", "阿尔及利亚", "阿富汗", "阿根廷", "阿拉伯联合酋长国", "阿鲁巴"]
    syllables = [lazy_pinyin(label) for label in labels]
    assert syllables == sorted(syllables)


def test_english_names_in_english_order():
    with translation.override("en"):
        labels = [label for _, label in countries.choices()[:-1]]
        assert labels[:3] == ["Afghanistan", "Åland Islands", "Albania"]
        assert countries.name("WS") == "Samoa"


@override_settings(OFFER_CHINESE_REGIONS=False)
def test_regions_not_offered_when_the_setting_is_off():
    choices = countries.choices()
    assert all(not isinstance(label, list) for _, label in choices)
    assert not set(countries.CHINESE_REGIONS) & {code for code, _ in choices}
    # Their names stay right for data already stored.
    assert countries.name("HK") == "中国香港"


def test_partner_select_groups_the_regions_and_asks_please_choose():
    html = str(PartnerForm()["country"])
    assert html.count("<option") == 1 + 245 + 3
    assert '<option value="" selected>...请选择...</option>' in html
    assert '<optgroup label="地区"><option value="HK">中国香港</option>' in html
    assert 'value="CN"' not in html and 'value="XK"' not in html
    assert "data-filter=" in html  # the type-to-filter box (site.js) attaches here
    assert html.index("阿尔巴尼亚") < html.index("阿富汗") < html.index("德国") < html.index("智利")


def test_partner_form_refuses_a_code_outside_the_list():
    for code in ("XK", "CN", "ZZ"):
        form = PartnerForm(data={"country": code})
        form.is_valid()
        assert "country" in form.errors, code
