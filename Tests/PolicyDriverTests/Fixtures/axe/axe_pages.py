"""Runs axe-core on published pages in headless Chromium, at each width, and saves a screenshot of each.

Usage: axe_pages.py SCREENSHOT_FOLDER WIDTH[,WIDTH...] NAME=FILE [NAME=FILE ...]

Prints one JSON object: for each page and width, the axe violations of WCAG 2.1 A and AA (rule id, impact, help,
and each node's target and HTML), and every table caption whose text is cut off at that width. Exit status 0 when it
ran (whatever it found), 3 when a tool is missing (the message says which), 1 on any other failure.

axe.min.js comes from the PyPI package axe-core-python; Chromium is driven by selenium through Debian's
chromium-driver. The script is injected through the driver (the DevTools protocol), which the page's
Content-Security-Policy does not govern, so the page is checked as published, CSP included.
"""

import json
import os
import shutil
import sys

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# A caption is cut when its text box reaches past the viewport or its own scroll width exceeds its width.
CAPTIONS_CUT = """
return Array.from(document.querySelectorAll('caption')).filter(function (c) {
  var r = c.getBoundingClientRect();
  return r.right > window.innerWidth + 1 || r.left < -1 || c.scrollWidth > c.clientWidth + 1;
}).map(function (c) { return c.textContent; });
"""

RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(function (r) { done(JSON.stringify(r.violations)); })
  .catch(function (e) { done(JSON.stringify({error: String(e)})); });
"""


def missing(what):
    print(f"{what} is not installed: run .ci/setup", file=sys.stderr)
    sys.exit(3)


def driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium (PyPI)")
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(chromedriver):
        missing("chromium-driver (Debian)")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    browser.set_script_timeout(120)
    return browser


def axe_source():
    try:
        import axe_core_python
    except ImportError:
        missing("axe-core-python (PyPI)")
    with open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"), encoding="utf-8") as f:
        return f.read()


def check(browser, axe, name, path, width, folder):
    browser.set_window_size(width, 900)
    browser.get("file://" + os.path.abspath(path))
    browser.execute_script(axe)
    found = json.loads(browser.execute_async_script(RUN_AXE, TAGS))
    if isinstance(found, dict):
        raise RuntimeError(f"axe failed on {name}: {found['error']}")
    violations = [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": [{"target": n["target"], "html": n["html"][:300]} for n in v["nodes"]],
        }
        for v in found
    ]
    cut = browser.execute_script(CAPTIONS_CUT)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 900), 16000))
    browser.save_screenshot(os.path.join(folder, f"{name}-{width}.png"))
    return {"page": name, "width": width, "violations": violations, "captionsCut": cut}


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    folder, widths = sys.argv[1], [int(w) for w in sys.argv[2].split(",")]
    pages = [argument.split("=", 1) for argument in sys.argv[3:]]
    os.makedirs(folder, exist_ok=True)
    axe = axe_source()
    browser = driver()
    try:
        results = [check(browser, axe, name, path, width, folder) for name, path in pages for width in widths]
        print(json.dumps({"tags": TAGS, "results": results}, indent=1))
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
