"""The monitor sessions docs/boot-process.md shows, replayed against a real boot like a
lab's README (smplab.sessions): the walk-through's output is what the build prints. And
every block of monitor or GDB output in the docs and labs is either replayed like that or
marked as an illustration on the line after it."""
import glob
import os
import unittest

from smplab import ROOT
from smplab.doc_blocks import REPLAYED, unmarked
from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck

# The files whose ```smplab (and, lab 6, ```gdb) blocks a test replays: every lab README
# (its check), the README (tests/qemu/test_readme.py) and the page below.
REPLAYED_FILES = (glob.glob(os.path.join(ROOT, "labs", "*", "README.md")) +
                  [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "docs", "boot-process.md")])


class BootProcessSessions(LabCheck):
    README = os.path.join(ROOT, "docs", "boot-process.md")
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY

    def test_sessions(self):
        self.replay_readme()


class IllustrationsTest(unittest.TestCase):
    def test_every_output_block_is_replayed_or_marked(self):
        pages = REPLAYED_FILES + glob.glob(os.path.join(ROOT, "docs", "*.md"))
        for page in sorted(set(pages)):
            with open(page) as f:
                text = f.read()
            found = unmarked(text, REPLAYED if page in REPLAYED_FILES else ())
            self.assertEqual(found, [], "%s: blocks at lines %s show output but are neither "
                             "replayed nor followed by the illustration line"
                             % (os.path.relpath(page, ROOT), found))
