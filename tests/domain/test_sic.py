"""SIC 2007 codes and their sections, by hand from the ONS structure."""

import pytest

from socialvalue.domain.sic import read_sic_codes, section_of


@pytest.mark.parametrize(
    ("code", "letter"),
    [
        ("01110", "A"),  # growing of cereals: the first division
        ("86101", "Q"),  # hospital activities
        ("8610", "Q"),  # a four-digit class
        ("33200", "C"),  # the last division of manufacturing
        ("35110", "D"),
        ("36000", "E"),
        ("68100", "L"),
        ("84110", "O"),
        ("99000", "U"),  # the last division
    ],
)
def test_a_code_falls_in_its_section(code, letter):
    assert section_of(code).letter == letter


@pytest.mark.parametrize("code", ["04000", "34000", "40000", "00100", "8610A", "861", "123456"])
def test_no_section_for_a_division_that_does_not_exist_or_a_malformed_code(code):
    assert section_of(code) is None


def test_a_cell_may_hold_several_codes_and_companies_house_descriptions():
    assert read_sic_codes("86101; 86900") == (("86101", "86900"), [])
    assert read_sic_codes("86101,86900 ,86101") == (("86101", "86900"), [])
    assert read_sic_codes("86101 - Hospital activities") == (("86101",), [])
    assert read_sic_codes("") == ((), [])
    assert read_sic_codes("hospital; 40000") == ((), ["hospital", "40000"])
