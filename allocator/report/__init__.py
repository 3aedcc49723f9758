"""Reports of plans for people: a self-contained HTML page and an Excel workbook."""

from allocator.report.html import Section, plan_report, write_html_report

__all__ = ["Section", "plan_report", "write_html_report"]
