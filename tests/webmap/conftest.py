"""The Playwright fixtures of :mod:`tests.webmap.browser`, registered once for every module in this folder.

A session fixture imported by name into two test modules is two fixtures to pytest: each module would start its own
``sync_playwright()`` while the other's is still running, which Playwright refuses ("Sync API inside the asyncio
loop"). Registered here, ``chromium_browser`` is started once and ``chromium_page`` is shared by
``test_browser.py`` and ``test_browser_supervision.py``; test modules must not import them again.
"""

from tests.webmap.browser import chromium_browser, chromium_page

__all__ = ["chromium_browser", "chromium_page"]
