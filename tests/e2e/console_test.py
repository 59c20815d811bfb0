#!/usr/bin/python3
"""The web console in a real headless Chromium against a real `kyc serve` on loopback
(issue 19), through what its users do:
- audit: the overview; search by reason and by account; open a decision, replay it and see
  `match`, with the fired lines highlighted and the notice in each locale; check the chain;
- admin: type an error into the policy and see the marker at its line, fix it, run the tests,
  view the impact over the recorded decisions, deploy with a note, and find the new version
  in the history and in GET /v1/policies;
- evaluate: sees no facts (only the help);
- a server restart mid-session: the console says so, and works again once it is back.
Fails on any browser console message of level SEVERE that the test did not cause on purpose.
Screenshots of each screen go to SHOTS (if given); docs/console.md shows them.

Usage: console_test.py KYC_BINARY SOURCE_DIR [SHOTS_DIR]
"""
import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

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


def api(base, method, path, role, body=None):
    request = urllib.request.Request(
        base + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + TOKENS[role][0], "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def seed(base):
    """Decisions of four kinds over six accounts: approved (two of them told of glare of 8%),
    expired, unreadable, undetermined."""
    with open(os.path.join(SOURCE, "policies", "examples", "evaluate-request.json")) as f:
        request = json.load(f)
    for i in range(16):
        body = copy.deepcopy(request)
        facts = body["facts"]
        body["account_id"] = f"acct-{i % 6}"
        facts["document"]["number"] = f"X{1000000 + i}"
        kind = i % 4
        if kind != 1:
            facts["document"]["expiry"] = "2031-01-01"
        if i % 8 == 4:
            facts["image"]["glare"] = 0.08
        if kind == 2:
            facts["image"]["blur"] = 20.0
        if kind == 3:
            del facts["image"]["blur"]
        api(base, "POST", "/v1/evaluate", "evaluate", body)


class Console(unittest.TestCase):
    @classmethod
    def start_server(cls, listen):
        port_file = os.path.join(cls.dir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        cls.server = subprocess.Popen(
            [KYC, "serve", "--listen", listen, "--port-file", port_file,
             "--policy-dir", os.path.join(cls.dir, "policies"),
             "--data-dir", os.path.join(cls.dir, "var"), "--tokens", os.path.join(cls.dir, "tokens")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        cls.base = f"http://127.0.0.1:{open(port_file).read().strip()}"

    @classmethod
    def stop_server(cls):
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=10)

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kycd-console-")
        os.makedirs(os.path.join(cls.dir, "policies"))
        for name in ("kyc.policy", "kyc.test"):
            shutil.copy(os.path.join(SOURCE, "policies", name), os.path.join(cls.dir, "policies"))
        with open(os.path.join(cls.dir, "tokens"), "w") as f:
            for token, roles, name in TOKENS.values():
                f.write(f"{token} {roles} {name}\n")
        cls.start_server("127.0.0.1:0")
        seed(cls.base)
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
        cls.stop_server()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def tearDown(self):
        # Any console error (a failed load, a script error, a refused resource) fails the test.
        severe = [e for e in self.browser.get_log("browser") if e["level"] == "SEVERE"]
        self.assertEqual(severe, [])

    def expect_console_errors(self, pattern):
        """Drains the browser's log: errors the test caused on purpose (a refused deploy answers
        422, and Chromium logs every failed request) must match `pattern`; any other fails."""
        for e in self.browser.get_log("browser"):
            if e["level"] == "SEVERE":
                self.assertRegex(e["message"], pattern)

    def wait(self, condition, timeout=15):
        return WebDriverWait(self.browser, timeout).until(condition)

    def wait_text(self, element_id, text, timeout=15):
        try:
            self.wait(ready.text_to_be_present_in_element((By.ID, element_id), text), timeout)
        except Exception:
            # Say what the page said instead: the status line holds the error.
            status = self.browser.find_element(By.ID, "status").text
            self.fail(f"#{element_id} never showed {text!r}; the status line says {status!r}")

    def sign_in(self, role):
        b = self.browser
        b.get(self.base + "/console/#/signin")
        field = self.wait(ready.visibility_of_element_located((By.ID, "token")))
        field.send_keys(TOKENS[role][0])
        b.find_element(By.CSS_SELECTOR, "#signin button").click()
        self.wait_text("who", TOKENS[role][2])

    def go(self, hash_):
        self.browser.get(self.base + "/console/" + hash_)

    def shot(self, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            self.browser.save_screenshot(os.path.join(SHOTS, name + ".png"))

    def nav(self):
        return [a.text for a in self.browser.find_elements(By.CSS_SELECTOR, "#nav a")]

    def rows(self):
        return self.browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")

    def editor(self, script, index=0):
        return self.browser.execute_script(
            f"const cm = document.querySelectorAll('.CodeMirror')[{index}].CodeMirror; {script}")

    def test_1_the_root_leads_to_the_sign_in_screen(self):
        self.browser.get(self.base + "/")
        self.wait(ready.visibility_of_element_located((By.ID, "token")))
        label = self.browser.find_element(By.CSS_SELECTOR, "label[for=token]").text
        self.assertEqual(label, "Access token")
        self.shot("signin")

    def test_2_audit_sees_the_overview_and_reads_the_policy_without_editing_it(self):
        self.sign_in("audit")
        self.assertIn("roles: audit", self.browser.find_element(By.ID, "who").text)
        self.assertEqual(self.nav(), ["Overview", "Decisions", "Policy", "History", "Audit", "Help"])
        self.wait_text("totals", "16 decisions")
        self.assertIn("4 (25.0%) had a reason left undetermined",
                      self.browser.find_element(By.ID, "totals").text)
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "canvas#per-bucket"))
        self.shot("overview")
        self.go("#/policy")
        self.wait_text("running", "kyc-document")
        self.assertTrue(self.editor("return cm.getOption('readOnly')"))
        self.shot("policy-audit")

    def test_3_audit_searches_opens_a_decision_and_replays_it(self):
        b = self.browser
        self.sign_in("audit")
        self.go("#/decisions")
        reason = self.wait(ready.visibility_of_element_located((By.ID, "f-reason-code")))
        reason.send_keys("DOC_EXPIRED")
        b.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
        self.wait(lambda d: "reason=DOC_EXPIRED" in d.current_url and len(self.rows()) == 4)
        self.assertTrue(all("DOC_EXPIRED" in r.text for r in self.rows()))
        self.shot("decisions")
        # By account: the account's link in a row is a search of its own.
        account = self.rows()[0].find_elements(By.CSS_SELECTOR, "td")[2].text
        b.find_element(By.LINK_TEXT, account).click()
        self.wait(lambda d: "account_id=" + account in d.current_url and "reason" not in d.current_url)
        self.wait(lambda d: len(self.rows()) > 0 and all(
            r.find_elements(By.CSS_SELECTOR, "td")[2].text == account for r in self.rows()))
        # Open the newest expired decision of the account, replay it.
        expired = [r for r in self.rows() if "DOC_EXPIRED" in r.text][0]
        decision_id = expired.find_elements(By.CSS_SELECTOR, "td")[1].text
        b.find_element(By.LINK_TEXT, decision_id).click()
        self.wait(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), decision_id))
        self.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#notices article")) == 2)
        self.assertEqual([a.get_attribute("lang") for a in
                          b.find_elements(By.CSS_SELECTOR, "#notices article")], ["en", "zh"])
        # The lines of DOC_EXPIRED's rule are highlighted in the policy of that time.
        highlighted = self.editor("""
            const lines = [];
            cm.eachLine((h) => { if ((h.bgClass || '').includes('fired')) lines.push(h.text); });
            return lines;""")
        self.assertTrue(any(line.startswith("reason DOC_EXPIRED") for line in highlighted), highlighted)
        self.assertTrue(any(line.strip().startswith("when ") for line in highlighted), highlighted)
        self.assertRegex(b.find_element(By.ID, "chain-hash").text, "^[0-9a-f]{64}$")
        b.find_element(By.XPATH, "//button[text()='Replay']").click()
        self.wait_text("replay", "match")
        self.shot("decision")
        b.execute_script("document.getElementById('policy').scrollIntoView()")
        self.shot("decision-policy")

    def test_4_audit_checks_the_chain(self):
        self.sign_in("audit")
        self.go("#/audit")
        self.wait(ready.element_to_be_clickable((By.ID, "verify"))).click()
        self.wait_text("verify-result", "Intact")
        self.assertIn("17 records", self.browser.find_element(By.ID, "verify-result").text)
        self.shot("audit")
        # The range's decisions as CSV: all 16 (the activation is no decision).
        self.browser.find_element(By.XPATH, "//button[text()='Export as CSV']").click()
        self.wait_text("status", "Exported 16 decision(s) as CSV.")

    def test_5_admin_fixes_an_error_tests_sees_the_impact_and_deploys_with_a_note(self):
        b = self.browser
        self.sign_in("admin")
        self.go("#/policy")
        self.wait_text("running", "kyc-document")
        # An `=` where `==` is meant, typed as a new line 61.
        self.editor("""
            cm.replaceRange('let BROKEN = 1 = 2\\n', {line: 60, ch: 0});
            cm.scrollIntoView({line: 60, ch: 0}, 200);""")
        self.wait_text("diagnostics", "line 61, column 16: error: '=' is not a comparison")
        marker_line = self.wait(lambda d: self.editor("""
            const marks = cm.state.lint.marked;
            return marks.length ? marks[0].find().from.line + 1 : null;"""))
        self.assertEqual(marker_line, 61)
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, ".CodeMirror-lint-marker-error"))
        self.shot("policy-admin-error")
        self.editor("cm.replaceRange('', {line: 60, ch: 0}, {line: 61, ch: 0});")
        self.wait_text("diagnostics", "No problems.")

        # The change: glare up to 10% is tolerated. Two recorded decisions had 8%.
        self.editor("cm.setValue(cm.getValue().replace('let MAX_GLARE = 0.05', 'let MAX_GLARE = 0.1'))")
        b.find_element(By.ID, "run-tests").click()
        self.wait(lambda d: re.search(r"\d+ passed, \d+ failed", d.find_element(By.ID, "results").text))
        self.assertRegex(b.find_element(By.ID, "test-summary").text, r"^[1-9]\d* passed, 0 failed\.$")
        self.shot("policy-tests")
        b.find_element(By.CSS_SELECTOR, "#impact-form button").click()
        self.wait_text("impact-summary", "would change")
        self.assertIn("16 recorded decision(s) replayed with the draft: 2 would change",
                      b.find_element(By.ID, "impact-summary").text)
        self.assertIn("IMAGE_POOR_LIGHTING no longer fires", b.find_element(By.ID, "results").text)
        self.shot("policy-impact")

        # A changed text keeps its version: refused, and nothing changes.
        note = b.find_element(By.ID, "deploy-note")
        note.send_keys("COMP-7: tolerate glare up to 10%")
        b.find_element(By.CSS_SELECTOR, "#deploy-form button").click()
        self.wait_text("deploy-error", "version")
        self.expect_console_errors(r"policies/deploy .*422")
        # With a new version it deploys (one the shipped policy will not reach).
        self.editor("cm.setValue(cm.getValue().replace(/version \"[^\"]*\"/, 'version \"2099-01-01.1\"'))")
        b.find_element(By.CSS_SELECTOR, "#deploy-form button").click()
        self.wait_text("deployed", "Deployed version 2099-01-01.1")
        running = api(self.base, "GET", "/v1/policies", "admin")["policies"][0]
        self.assertEqual(running["version"], "2099-01-01.1")

        self.go("#/history")
        self.wait(lambda d: "2099-01-01.1" in d.find_element(By.CSS_SELECTOR, "tbody tr").text)
        newest = b.find_element(By.CSS_SELECTOR, "tbody tr").text
        self.assertIn("ops-alice", newest)
        self.assertIn("COMP-7: tolerate glare up to 10%", newest)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#diff .add"))
        self.assertIn("+let MAX_GLARE = 0.1", b.find_element(By.ID, "diff").text)
        self.shot("history")

    def test_6_evaluate_sees_no_facts(self):
        self.sign_in("evaluate")
        self.assertEqual(self.nav(), ["Help"])
        self.go("#/decisions")  # typed by hand: not shown either
        self.wait(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Help"))
        self.assertNotIn("facts", self.browser.find_element(By.ID, "main").text.split("Help")[0])
        self.shot("help")

    def test_7_a_restart_mid_session_is_said_and_survived(self):
        b = self.browser
        self.sign_in("audit")
        self.go("#/decisions")
        self.wait(lambda d: len(self.rows()) > 0)
        port = self.base.rsplit(":", 1)[1]
        self.stop_server()
        b.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
        self.wait_text("status", "did not answer")
        self.expect_console_errors("ERR_CONNECTION_REFUSED")
        self.start_server("127.0.0.1:" + port)
        b.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
        self.wait(lambda d: len(self.rows()) > 0)
        self.assertIn("auditor-bob", b.find_element(By.ID, "who").text)  # still signed in

    def test_8_at_phone_width_the_search_fits(self):
        b = self.browser
        self.sign_in("audit")
        b.set_window_size(390, 844)
        try:
            self.go("#/decisions?outcome=review")
            self.wait(lambda d: len(self.rows()) > 0)
            # Nothing but the results table (which scrolls in its own box) is wider than the screen.
            overflow = b.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
            self.assertFalse(overflow)
            self.shot("decisions-phone")
        finally:
            b.set_window_size(1280, 800)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
