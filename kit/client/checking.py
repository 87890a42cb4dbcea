"""`kit validate`: check a submission against a challenge's public facts, with no label anywhere.

The facts (the metric, the id and target columns, the classes, test.csv's ids) come from the
server's public routes or from a downloaded bundle folder; the grader's label-free
`solution_shape` then runs the grader's own checks, so the messages are those a real
submission would get.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kit.errors import InvalidInputError, NotFoundError

README_METRIC = re.compile(r"^Metric: \*\*(?P<metric>[^*]+)\*\*", re.MULTILINE)
README_CLASSES = re.compile(r"^- Classes: (?P<classes>.+)$", re.MULTILINE)
README_TARGET = re.compile(r"the target column `(?P<target>[^`]+)`")
README_MAX_KB = re.compile(r"^- Maximum file size: (?P<kb>\d+) KB\.", re.MULTILINE)


@dataclass(frozen=True)
class ChallengeFacts:
    """What a valid submission depends on; all of it is public."""

    slug: str
    metric: str
    id_column: str
    target: str
    classes: list | None
    max_file_bytes: int | None
    test_csv: bytes


@dataclass(frozen=True)
class Verdict:
    ok: bool
    rows: int
    code: str | None = None
    message: str | None = None


def check_file(facts: ChallengeFacts, file: Path) -> Verdict:
    """The grader's verdict on `file` for this challenge, without scoring (and without any label)."""
    import grader

    if facts.metric.startswith("custom:"):
        raise InvalidInputError(f"{facts.slug!r} is scored by the organizer's own metric, whose rules only the "
                                "server knows; submit the file to have it checked.")
    try:
        shape = grader.solution_shape(facts.test_csv, id_column=facts.id_column, target_column=facts.target,
                                      classes=facts.classes)
        rows = grader.validate(shape, file, facts.metric, filename=file.name, max_bytes=facts.max_file_bytes)
    except FileNotFoundError:
        raise InvalidInputError(f"No file at {file}.") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{file} is a folder; pass the submission CSV with -f.") from None
    except grader.SubmissionError as error:
        return Verdict(ok=False, rows=0, code=error.code, message=error.message)
    except grader.GraderError as error:
        raise InvalidInputError(f"The challenge's bundle cannot be used to validate: {error}") from None
    return Verdict(ok=True, rows=rows)


def facts_from_server(client, slug: str) -> ChallengeFacts:
    """The public facts from the API: the challenge's details and its test.csv."""
    detail = client.challenge(slug)
    return ChallengeFacts(slug=detail["slug"], metric=detail["metric"], id_column=detail["id_column"],
                          target=detail["target"], classes=detail.get("classes"),
                          max_file_bytes=detail.get("max_file_bytes"), test_csv=client.file_bytes(slug, "test.csv"))


def facts_from_bundle(folder: Path, slug: str, metric: str | None = None) -> ChallengeFacts:
    """The public facts from a downloaded bundle: README.md, sample_submission.csv and test.csv.

    The README names the metric, the target and the classes as `kit` writes it; the sample
    submission's header gives the id column (and the class columns for class probabilities).
    """
    import grader

    files = {name: folder / name for name in ("README.md", "test.csv", "sample_submission.csv")}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise NotFoundError(f"{folder} is not a downloaded bundle: {', '.join(missing)} missing. "
                            f"Download it with `kit download {slug} -p {folder}`.")
    readme = files["README.md"].read_text(encoding="utf-8", errors="replace")
    header = next(csv.reader(io.StringIO(_first_line(files["sample_submission.csv"]))), [])
    found = README_METRIC.search(readme)
    name = metric or (found.group("metric").strip() if found else None)
    if not name:
        raise InvalidInputError(f"{files['README.md']} does not name the metric; pass it with --metric.")
    if name.startswith("custom:"):
        return ChallengeFacts(slug=slug, metric=name, id_column="", target="", classes=None, max_file_bytes=None,
                              test_csv=b"")  # check_file says why it cannot check this one
    if name.startswith("custom:"):
        raise InvalidInputError(
            f"{slug} is scored with the organizer's own metric ({name}), which only the server holds: "
            "check your file's header against sample_submission.csv and submit it to have it validated.")
    try:
        chosen = grader.get_metric(name)
    except grader.UnknownMetricError as error:
        raise InvalidInputError(str(error)) from None
    if len(header) < 2:
        raise InvalidInputError(f"{files['sample_submission.csv']} has no header naming the id and target columns.")
    target_match = README_TARGET.search(readme)
    if chosen.prediction is grader.PredictionKind.CLASS_PROBABILITIES:
        classes: list | None = header[1:]  # one column per class, in the challenge's order
        target = target_match.group("target") if target_match else "target"
    elif chosen.prediction.multi_column:
        classes, target = None, ",".join(header[1:])  # several targets, in the sample's order
    else:
        listed = README_CLASSES.search(readme)
        classes = [c.strip() for c in listed.group("classes").split(", ")] if listed else None
        target = header[1]
    size = README_MAX_KB.search(readme)
    return ChallengeFacts(slug=slug, metric=chosen.name, id_column=header[0], target=target, classes=classes,
                          max_file_bytes=int(size.group("kb")) * 1024 + 1023 if size else None,
                          test_csv=files["test.csv"].read_bytes())


def _first_line(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return handle.readline()
