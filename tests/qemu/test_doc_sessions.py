"""The monitor sessions docs/boot-process.md shows, replayed against a real boot like a
lab's README (smplab.sessions): the walk-through's output is what the build prints."""
import os

from smplab import ROOT
from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck


class BootProcessSessions(LabCheck):
    README = os.path.join(ROOT, "docs", "boot-process.md")
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY

    def test_sessions(self):
        self.replay_readme()
