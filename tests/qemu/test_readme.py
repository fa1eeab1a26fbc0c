"""The session README.md shows is what the current build prints."""
import os

from smplab import ROOT
from smplab.testcase import LabCheck


class ReadmeSessionTest(LabCheck):
    accels = ("tcg",)
    README = os.path.join(ROOT, "README.md")

    def test_readme_session(self):
        self.replay_readme()

