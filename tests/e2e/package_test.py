#!/usr/bin/python3
"""The Debian package and the systemd integration (issue 21, item 4), from a build folder:
- `cpack -G DEB` gives a package with the binary, the shipped policy, the default config (a
  conffile), the unit, and maintainer scripts; its dependencies come from the binary;
- the unit passes `systemd-analyze verify`;
- the packaged binary, run as the unit runs it (`kyc --config ... serve`) with settings from
  KYCD_* variables, tells the service manager READY=1 once it listens, RELOADING=1 then READY=1
  on SIGHUP, and STOPPING=1 on SIGTERM, on a NOTIFY_SOCKET this test holds;
- as root (CI), `dpkg -i` creates the kycd user and /var/lib/kycd at 0700 with the policy, and
  `dpkg --purge` removes the program and its config but keeps the audit trail.

Usage: package_test.py BUILD_DIR
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BUILD = os.path.abspath(sys.argv[1])


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kycd-package-")
        subprocess.run(["cpack", "-G", "DEB", "-B", cls.dir], cwd=BUILD, check=True,
                       stdout=subprocess.DEVNULL)
        debs = [f for f in os.listdir(cls.dir) if f.endswith(".deb")]
        assert len(debs) == 1, debs
        cls.deb = os.path.join(cls.dir, debs[0])
        cls.root = os.path.join(cls.dir, "root")
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_1_contents_and_control(self):
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True,
                                 check=True).stdout
        for path in ["./usr/bin/kyc", "./usr/share/kycd/policies/kyc.policy",
                     "./usr/share/kycd/policies/kyc.test", "./etc/kycd/kycd.conf",
                     "./lib/systemd/system/kycd.service"]:
            self.assertIn(path, listing)
        control = subprocess.run(["dpkg-deb", "-f", self.deb], capture_output=True, text=True,
                                 check=True).stdout
        self.assertIn("Package: kycd", control)
        for dependency in ["libtesseract5", "libsystemd0", "tesseract-ocr-eng", "adduser"]:
            self.assertIn(dependency, control)
        conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", self.deb], capture_output=True,
                                   check=True).stdout
        self.assertIn(b"conffiles", conffiles)

    def test_2_the_unit_verifies(self):
        with open(os.path.join(self.root, "lib/systemd/system/kycd.service")) as f:
            unit = f.read()
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "ProtectSystem=strict",
                     "NoNewPrivileges=yes", "StateDirectory=kycd", "User=kycd"]:
            self.assertIn(line, unit)
        # systemd-analyze wants ExecStart's binary where it says: the one from the package.
        local = os.path.join(self.dir, "kycd.service")
        with open(local, "w") as f:
            f.write(unit.replace("/usr/bin/kyc", os.path.join(self.root, "usr/bin/kyc")))
        result = subprocess.run(["systemd-analyze", "verify", local], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_3_the_binary_notifies_and_reads_its_settings_from_the_environment(self):
        state = os.path.join(self.dir, "state")
        os.makedirs(os.path.join(state, "policies"))
        for name in ["kyc.policy", "kyc.test"]:
            with open(os.path.join(self.root, "usr/share/kycd/policies", name)) as src, \
                 open(os.path.join(state, "policies", name), "w") as dst:
                dst.write(src.read())
        notify_path = os.path.join(self.dir, "notify")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        notify.settimeout(20)
        port_file = os.path.join(self.dir, "port")
        env = dict(os.environ, NOTIFY_SOCKET=notify_path, KYCD_LISTEN="127.0.0.1:0",
                   KYCD_PORT_FILE=port_file, KYCD_POLICY_DIR=os.path.join(state, "policies"),
                   KYCD_DATA_DIR=os.path.join(state, "data"))
        # The unit's command line, with a config of its own: the packaged one names
        # /var/lib/kycd, and a config file's keys win over the environment.
        config = os.path.join(self.dir, "kycd.conf")
        with open(config, "w") as f:
            f.write("[serve]\nmax-connections = 64\n")
        server = subprocess.Popen([os.path.join(self.root, "usr/bin/kyc"), "--config", config,
                                   "serve"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            messages = []

            def wait_for(word):
                while not any(word in m for m in messages):
                    messages.append(notify.recv(4096).decode())

            wait_for("READY=1")
            with open(port_file) as f:  # from KYCD_PORT_FILE
                port = f.read().strip()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz") as r:
                self.assertEqual(json.load(r)["status"], "ready")
            self.assertIn("STATUS=listening on port " + port, "\n".join(messages))
            messages.clear()
            server.send_signal(1)  # SIGHUP: reload
            wait_for("RELOADING=1")
            wait_for("READY=1")
            messages.clear()
            server.terminate()
            wait_for("STOPPING=1")
            self.assertEqual(server.wait(timeout=20), 0)
        finally:
            if server.poll() is None:
                server.kill()
            notify.close()

    @unittest.skipUnless(os.geteuid() == 0 and os.path.exists("/usr/bin/dpkg"),
                         "installing a package needs root")
    @unittest.skipIf(b"ok installed" in subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "kycd"], capture_output=True).stdout,
                     "kycd is installed here already: the test would replace it")
    def test_4_install_makes_the_user_and_an_owner_only_state_folder(self):
        subprocess.run(["dpkg", "-i", self.deb], check=True, stdout=subprocess.DEVNULL)
        try:
            self.assertTrue(os.path.exists("/usr/bin/kyc"))
            user = subprocess.run(["getent", "passwd", "kycd"], capture_output=True, text=True)
            self.assertEqual(user.returncode, 0)
            st = os.stat("/var/lib/kycd")
            self.assertEqual(oct(st.st_mode & 0o777), "0o700")
            self.assertEqual(st.st_uid, int(user.stdout.split(":")[2]))
            self.assertTrue(os.path.exists("/var/lib/kycd/policies/kyc.policy"))
            check = subprocess.run(["runuser", "-u", "kycd", "--", "/usr/bin/kyc", "check",
                                    "/var/lib/kycd/policies/kyc.policy"], capture_output=True,
                                   text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        finally:
            subprocess.run(["dpkg", "--purge", "kycd"], check=True, stdout=subprocess.DEVNULL)
        self.assertFalse(os.path.exists("/usr/bin/kyc"))
        self.assertTrue(os.path.exists("/var/lib/kycd"))  # the audit trail is kept


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
