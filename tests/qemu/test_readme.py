"""The session README.md shows is what the current build prints."""
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "labs"))

from labtool import LabCheck  # noqa: E402


class ReadmeSessionTest(LabCheck):
    accels = ("tcg",)
    README = os.path.join(ROOT, "README.md")

    def test_readme_session(self):
        self.replay_readme()


if __name__ == "__main__":
    unittest.main()
