"""A minimal QMP client (QEMU Machine Protocol, JSON lines over a unix socket): how the
launcher knows why QEMU stopped, and how the tests ask QEMU for registers and memory."""
import json
import socket
import time


class QmpError(Exception):
    pass


class Qmp:
    """A minimal QMP client over a unix socket: command() returns the "return" value;
    events seen meanwhile are appended to .events. Used by the launcher and smplab.machine."""

    def __init__(self, path, proc=None, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            if proc is not None and proc.poll() is not None:
                raise QmpError("QEMU exited before its QMP socket accepted a connection")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
                if time.monotonic() > deadline:
                    raise QmpError("no QMP server at %s after %.0f s" % (path, timeout))
                time.sleep(0.02)
        self.sock = sock
        self.file = sock.makefile("rb")
        self.events = []
        self.greeting = self.read()
        self.command("qmp_capabilities")

    def read(self):
        """Next message (dict); EOFError when QEMU closed the socket."""
        try:
            line = self.file.readline()
        except (ConnectionResetError, OSError):
            line = b""
        if not line:
            raise EOFError("QMP connection closed")
        return json.loads(line)

    def command(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
        except OSError as e:
            raise EOFError("QMP connection closed: %s" % e)
        while True:
            reply = self.read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise QmpError("%s: %s" % (name, reply["error"].get("desc", reply["error"])))
            elif "return" in reply:
                return reply["return"]

    def close(self):
        for obj in (self.file, self.sock):
            try:
                obj.close()
            except OSError:
                pass
