"""The plan PDF's contents page: each section with the page it starts on, and no leader dots as text."""

import re

from bench.pdf import large_snapshot
from tests.yjplan.test_documents import pdftotext
from yjplan.pdf import render_pdf
from yjplan.plans.content import print_html


def test_contents_give_each_sections_page_number():
    pdf, pages = render_pdf(print_html(large_snapshot(sections=3), rendition_number=1))
    assert pages == 5  # cover, contents, one page for each section
    lines = [" ".join(line.split()) for line in pdftotext(pdf).splitlines()]
    assert [line for line in lines if re.fullmatch(r"\d\. Section \d \d", line)] == [
        "1. Section 1 3",
        "2. Section 2 4",
        "3. Section 3 5",
    ]
    assert ". . ." not in " ".join(lines) and "...." not in " ".join(lines)
