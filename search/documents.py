"""What the index embeds and BM25-indexes per node kind: one place, so ingest, reindex and queries agree."""

from __future__ import annotations

from ikg.graph.views import IssueText, MeasureText

HEAD_CHARS = 300  # the heading and the problem statement; measures usually start after it


def issue_document(title: str, category: str, text: str) -> str:
    """Title, category and the whole issue text (problem, measures, results).

    Titles alone are often generic (党建工作有待加强); the measures say what the problem really was.
    """
    return f"{title}。{category}。{text}"


def issue_passage(issue: IssueText) -> str:
    return issue_document(issue.title, issue.category, issue.text)


def issue_head(title: str, text: str) -> str:
    return f"{title}。{text[:HEAD_CHARS]}"


def measure_passage(measure: MeasureText) -> str:
    return measure.text
