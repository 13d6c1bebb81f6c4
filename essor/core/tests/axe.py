"""axe-core (vendored, essor/core/tests/vendor) run in a Playwright page: the WCAG 2.1 A/AA violations of what the
page shows now, one line each ("rule (impact): first targets"), so a failing test says what to fix where."""

from functools import cache
from pathlib import Path

SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
RUN = """async (rules) => {
  const result = await axe.run(document, {runOnly: rules});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


@cache
def _source() -> str:
    return SOURCE.read_text(encoding="utf-8")


def axe_violations(page, rules=WCAG21_AA) -> list[str]:
    page.evaluate(
        _source() + ";undefined"
    )  # ";undefined": evaluate() would try to return axe's module object
    return page.evaluate(RUN, list(rules))
