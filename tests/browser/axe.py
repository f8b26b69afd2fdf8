"""axe-core in the browser tests: the engine comes with the axe-playwright-python package (its
vendored axe.min.js), is injected into the page through Playwright and run there. No npm, no
network: `make test` needs Python only."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")
_axe = Axe()


def blocking_violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line per rule."""
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
        summary = (violation["nodes"][0].get("failureSummary") or "").splitlines()
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{'; '.join(targets)} — {' '.join(s.strip() for s in summary[1:3])}"
        )
    return lines
