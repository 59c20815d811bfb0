#!/usr/bin/python3
"""The web console in a real headless Chromium against a real `kyc serve` on loopback
(issue 19): sign in as audit and read the policy; sign in as admin, type an error into the
policy and see the marker at its line, fix it; sign in as evaluate and see no policy. Fails on
any browser console message of level SEVERE. Screenshots of each screen go to SHOTS (if given).

Usage: console_test.py KYC_BINARY SOURCE_DIR [SHOTS_DIR]
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

KYC, SOURCE = sys.argv[1], sys.argv[2]
SHOTS = sys.argv[3] if len(sys.argv) > 3 else ""
TOKENS = {
    "admin": ("kyc_admin_token_0123456789", "admin,audit", "ops-alice"),
    "audit": ("kyc_audit_token_0123456789", "audit", "auditor-bob"),
    "evaluate": ("kyc_evaluate_token_012345", "evaluate", "backend"),
}


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kycd-console-")
        os.makedirs(os.path.join(cls.dir, "policies"))
        shutil.copy(os.path.join(SOURCE, "policies", "kyc.policy"), os.path.join(cls.dir, "policies"))
        with open(os.path.join(cls.dir, "tokens"), "w") as f:
            for token, roles, name in TOKENS.values():
                f.write(f"{token} {roles} {name}\n")
        port_file = os.path.join(cls.dir, "port")
        cls.server = subprocess.Popen(
            [KYC, "serve", "--listen", "127.0.0.1:0", "--port-file", port_file,
             "--policy-dir", os.path.join(cls.dir, "policies"),
             "--data-dir", os.path.join(cls.dir, "var"), "--tokens", os.path.join(cls.dir, "tokens")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        cls.base = f"http://127.0.0.1:{open(port_file).read().strip()}"
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,800",
                     f"--user-data-dir={os.path.join(cls.dir, 'chromium')}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def tearDown(self):
        # Any console error (a failed load, a script error, a refused resource) fails the test.
        severe = [e for e in self.browser.get_log("browser") if e["level"] == "SEVERE"]
        self.assertEqual(severe, [])

    def wait(self, condition, timeout=10):
        return WebDriverWait(self.browser, timeout).until(condition)

    def sign_in(self, role):
        b = self.browser
        b.get(self.base + "/console/#/signin")
        field = self.wait(ready.visibility_of_element_located((By.ID, "token")))
        field.send_keys(TOKENS[role][0])
        b.find_element(By.CSS_SELECTOR, "#signin button").click()
        self.wait(ready.text_to_be_present_in_element((By.ID, "who"), TOKENS[role][2]))

    def shot(self, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            self.browser.save_screenshot(os.path.join(SHOTS, name + ".png"))

    def nav(self):
        return [a.text for a in self.browser.find_elements(By.CSS_SELECTOR, "#nav a")]

    def test_1_the_root_leads_to_the_sign_in_screen(self):
        self.browser.get(self.base + "/")
        self.wait(ready.visibility_of_element_located((By.ID, "token")))
        label = self.browser.find_element(By.CSS_SELECTOR, "label[for=token]").text
        self.assertEqual(label, "Access token")
        self.shot("signin")

    def test_2_audit_reads_the_policy_without_editing_it(self):
        self.sign_in("audit")
        self.assertIn("roles: audit", self.browser.find_element(By.ID, "who").text)
        self.assertEqual(self.nav(), ["Policy", "Help"])
        self.wait(ready.text_to_be_present_in_element((By.ID, "running"), "kyc-document"))
        read_only = self.browser.execute_script(
            "return document.querySelector('.CodeMirror').CodeMirror.getOption('readOnly')")
        self.assertTrue(read_only)
        self.shot("policy-audit")

    def test_3_admin_sees_a_marker_at_the_line_of_an_error_and_fixes_it(self):
        self.sign_in("admin")
        self.wait(ready.text_to_be_present_in_element((By.ID, "running"), "kyc-document"))
        b = self.browser
        # An `=` where `==` is meant, typed as a new line 61.
        b.execute_script("""
            const cm = document.querySelector('.CodeMirror').CodeMirror;
            cm.replaceRange('let BROKEN = 1 = 2\\n', {line: 60, ch: 0});
            cm.scrollIntoView({line: 60, ch: 0}, 200);""")
        self.wait(ready.text_to_be_present_in_element(
            (By.ID, "diagnostics"), "line 61, column 16: error: '=' is not a comparison"))
        marker_line = self.wait(lambda d: d.execute_script("""
            const cm = document.querySelector('.CodeMirror').CodeMirror;
            const marks = cm.state.lint.marked;
            return marks.length ? marks[0].find().from.line + 1 : null;"""))
        self.assertEqual(marker_line, 61)
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, ".CodeMirror-lint-marker-error"))
        self.shot("policy-admin-error")
        # Fixed: no problems left.
        b.execute_script("""
            const cm = document.querySelector('.CodeMirror').CodeMirror;
            cm.replaceRange('', {line: 60, ch: 0}, {line: 61, ch: 0});""")
        self.wait(ready.text_to_be_present_in_element((By.ID, "diagnostics"), "No problems."))

    def test_4_evaluate_sees_no_policy_and_no_facts(self):
        self.sign_in("evaluate")
        self.assertEqual(self.nav(), ["Help"])
        self.browser.get(self.base + "/console/#/policy")  # typed by hand: not shown either
        self.wait(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Help"))
        self.shot("help")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
