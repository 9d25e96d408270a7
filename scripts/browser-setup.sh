# Sourced by scripts/browser-tests.sh and scripts/screenshots.sh: installs
# what the browser scripts need if it is missing (Debian's Chromium when
# root; playwright, axe-playwright-python and pytest from PyPI), and sets
# CME_BIN (default .build/debug/cme, built with `swift build` if absent).
# Playwright's own browser download is never used: it drives /usr/bin/chromium.

browser_setup() {
  if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null || {
        echo "could not install chromium" >&2
        return 1
      }
    else
      echo "/usr/bin/chromium is missing; as root: apt-get install -y --no-install-recommends chromium" >&2
      return 1
    fi
  fi
  if ! python3 -c "import playwright.sync_api, axe_playwright_python.sync_playwright, pytest" 2>/dev/null; then
    python3 -m pip install -q playwright axe-playwright-python pytest ||
      python3 -m pip install -q --break-system-packages playwright axe-playwright-python pytest || {
      echo "could not install playwright, axe-playwright-python and pytest" >&2
      return 1
    }
  fi
  export CME_BIN="${CME_BIN:-.build/debug/cme}"
  if [ ! -x "$CME_BIN" ]; then
    swift build --product cme || return 1
    if [ ! -x "$CME_BIN" ]; then
      CME_BIN="$(swift build --show-bin-path)/cme"
      export CME_BIN
    fi
  fi
}
