"""The region table, without a database."""
from odoo.addons.crm_cn_lifecycle.tools.regions import REGIONS, REGION_BY_PROVINCE_CODE, region_of


def test_every_region_has_provinces():
    assert set(REGION_BY_PROVINCE_CODE.values()) == {key for key, _label in REGIONS}


def test_province_codes_map_to_their_region():
    assert region_of("CN", "粤") == "south"
    assert region_of("CN", "京") == "north"
    assert region_of("CN", "渝 ") == "southwest"
    assert region_of("CN", "黑") == "northeast"


def test_outside_china_there_is_no_region():
    assert region_of("US", "TX") is False
    assert region_of("CN", False) is False
    assert region_of("CN", "XX") is False
