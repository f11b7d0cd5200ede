#!/usr/bin/env python3
"""Typesets tests/fixtures/e_paper.pdf, the PDF the `publish FILE.pdf` tests
read: two newspaper pages of our own fixture text (short_news.txt on page 1,
headlines.txt on page 2), in two columns with a page header, in reportlab's
built-in STSong-Light CID font (not embedded: poppler-data maps it back).

    pip install reportlab && python3 scripts/make_pdf_fixture.py
"""
import os

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "STSong-Light"
SIZE = 10.5
HEAD = 18
CHARS_PER_LINE = 22  # a column of a broadsheet page holds about this many characters
PAGES = [("第1版 要闻", "short_news.txt"), ("第2版 综合", "headlines.txt")]


def wrap(paragraph, width):
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]


def page(c, header, text):
    w, h = A4
    c.setFont(FONT, 9)
    c.drawString(40, h - 40, f"清河日报  2025年5月6日  {header}")
    c.line(40, h - 46, w - 40, h - 46)
    col_x = [40, w / 2 + 10]
    col, y = 0, h - 80
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    for i, block in enumerate(blocks):
        headline = i == 0 or (len(block) <= 20 and not block.endswith("。"))
        size = HEAD if headline else SIZE
        lines = wrap(block, 14 if headline else CHARS_PER_LINE)
        for line in lines:
            if y < 60:
                col, y = col + 1, h - 80
            c.setFont(FONT, size)
            c.drawString(col_x[min(col, 1)], y, line)
            y -= size * 1.6
        y -= SIZE


def main():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = os.path.join(ROOT, "tests", "fixtures", "e_paper.pdf")
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for header, name in PAGES:
        with open(os.path.join(ROOT, "tests", "fixtures", name), encoding="utf-8") as f:
            page(c, header, f.read())
        c.showPage()
    c.save()
    print(out)


if __name__ == "__main__":
    main()
