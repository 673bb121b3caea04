"""Customer keys and protection rules of deal registrations, without a database."""
from datetime import date

from odoo.addons.crm_cn_lifecycle.tools.deal_registration import blocking, protection_days, protection_end
from odoo.addons.crm_cn_lifecycle.tools.name_keys import email_domain, name_key, name_keys, phone_key, record_keys


def test_prefix_and_bracketed_city_give_the_same_key():
    assert name_key("广州华信办公用品有限公司") == name_key("华信办公用品（广州）有限公司") == "华信办公用品"


def test_province_and_city_prefixes_and_other_legal_forms_go():
    assert name_key("广东省广州市华信办公用品股份有限公司") == "华信办公用品"
    assert name_key("华信办公用品广州有限公司") == "华信办公用品"
    assert name_key("华信办公用品(广州)有限责任公司") == "华信办公用品"


def test_english_form_keeps_its_core_words_whatever_the_city_position():
    key = name_key("Huaxin Office Supplies (Guangzhou) Co., Ltd.")
    assert key == "huaxinofficesupplies"
    assert name_key("Guangzhou Huaxin Office Supplies Limited") == key
    assert name_key("HUAXIN OFFICE SUPPLIES CO LTD") == key


def test_a_name_giving_both_forms_gives_both_keys():
    assert name_keys("华信办公用品（广州）有限公司 / Huaxin Office Supplies (Guangzhou) Co., Ltd.") == (
        "华信办公用品", "huaxinofficesupplies")
    assert name_keys("Huaxin Office Supplies Co., Ltd. / 广州华信办公用品有限公司") == (
        "huaxinofficesupplies", "华信办公用品")
    assert name_keys("广州华信办公用品有限公司") == ("华信办公用品", False)


def test_a_bare_city_or_legal_form_is_not_stripped_to_nothing():
    assert name_key("广州市") == "广州市"
    assert name_key("Limited") == "limited"
    assert name_key("") is False
    assert name_key(None) is False


def test_phone_digits_ignore_country_code_area_code_and_punctuation():
    assert phone_key("+86 20 8888 1234") == phone_key("020-88881234") == phone_key("8888 1234") == "88881234"
    assert phone_key("+86 138 0013 8000") == phone_key("13800138000") == phone_key("0086-13800138000")
    assert phone_key("12345") is False


def test_company_mail_domain_matches_and_public_mailboxes_do_not():
    assert email_domain("Li Lei <LiLei@Huaxin-Office.com.cn>") == "huaxin-office.com.cn"
    for public in ("a@qq.com", "b@163.com", "c@126.com", "d@gmail.com", "e@hotmail.com", "f@sina.com",
                   "g@outlook.com", "h@foxmail.com"):
        assert email_domain(public) is False, public
    assert email_domain("not an address") is False


def test_record_keys_list_each_key_once():
    assert record_keys(["广州华信办公用品有限公司", "华信办公用品（广州）"], ["020-88881234", "88881234"],
                       ["a@huaxin.cn", "b@qq.com"]) == [
        ("name", "华信办公用品"), ("phone", "88881234"), ("email", "huaxin.cn")]


def test_protection_period_per_category_else_default():
    assert protection_days(0) == 90
    assert protection_days(30) == 30
    assert protection_days(None, 60) == 60
    assert protection_end(date(2026, 1, 1), 90) == date(2026, 4, 1)


def test_only_another_dealers_live_approval_for_the_same_category_blocks():
    match = {"dealer_id": 2, "category_id": 7, "state": "approved", "protected_until": date(2026, 3, 1)}
    assert blocking([match], 1, 7, date(2026, 2, 1)) == [match]
    assert blocking([match], 2, 7, date(2026, 2, 1)) == []          # its own
    assert blocking([match], 1, 8, date(2026, 2, 1)) == []          # another category
    assert blocking([match], 1, 7, date(2026, 3, 2)) == []          # expired
    assert blocking([dict(match, state="submitted")], 1, 7, date(2026, 2, 1)) == []
