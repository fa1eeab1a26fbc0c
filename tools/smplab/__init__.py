"""smplab's host side: everything that runs QEMU and GDB for a person or a test.

    launch      the QEMU launcher behind `make run` (tools/launch.py is its command line)
    qmp         a QMP client (why QEMU stopped; registers and memory for the tests)
    machine     Machine: a booted smplab driven over its serial console (pexpect, a pty)
    gdbsession  Gdb: GDB attached to QEMU's gdbstub, driven as a terminal drives it
    status      reading the monitor's `status` rows
    sessions    the ```smplab sessions the labs' READMEs show: replayed and refreshed
    testcase    the base classes of the QEMU tests and lab checks (one machine per class)
    refs        the reference kernels of `make bench` (tools/bench/): images, output, driver
    measure     what `make bench` measures, one sample per run (tools/bench.py makes tables)
    acpi_tables the firmware's ACPI tables in a dump of guest RAM (dump-acpi.py, the tests)
    timeline_png  the stage timeline of a `boot all fast` as a PNG (matplotlib)

The tests import it through pytest.ini's `pythonpath`; the scripts in tools/ find it
beside them."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
