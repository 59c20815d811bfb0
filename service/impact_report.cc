#include "service/impact_report.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

namespace kyc::service {

namespace json = boost::json;

namespace {

const char* const kOutcomes[] = {"approve", "resubmit", "review", "reject"};

int64_t num(const json::value& v) { return v.is_int64() ? v.get_int64() : 0; }
double real(const json::value& v) {
  return v.is_double() ? v.get_double() : v.is_int64() ? static_cast<double>(v.get_int64()) : 0;
}
std::string str(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : std::string();
}
std::string percent(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", r * 100);
  return buf;
}
std::string signed_number(int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A number cell the browser test reads back: `data-k` is the value's path in the JSON.
std::string cell(const std::string& path, int64_t n) {
  return "<td class=n data-k=\"" + escape(path) + "\">" + std::to_string(n) + "</td>";
}

std::string reasons_of(const json::object& decision) {
  std::string out;
  for (const auto& r : decision.at("reasons").as_array())
    out += (out.empty() ? "" : ", ") + str(r.at("code"));
  for (const auto& r : decision.at("undetermined").as_array())
    out += (out.empty() ? "" : ", ") + str(r.at("code")) + " (undetermined)";
  return out.empty() ? "none" : out;
}

std::string evidence_of(const json::object& decision) {
  std::string out;
  for (const auto& r : decision.at("reasons").as_array()) {
    const auto& o = r.as_object();
    if (auto* e = o.if_contains("evidence"))
      for (const auto& atom : e->as_array())
        out += "<li><code>" + escape(str(r.at("code"))) + "</code>: " +
               escape(str(atom.as_object().at("atom"))) + " <span class=f>" +
               escape(json::serialize(atom.as_object().at("facts"))) + "</span></li>";
  }
  for (const auto& r : decision.at("undetermined").as_array()) {
    std::string missing;
    if (auto* m = r.as_object().if_contains("missing"))
      for (const auto& f : m->as_array()) missing += (missing.empty() ? "" : ", ") + str(f);
    out += "<li><code>" + escape(str(r.at("code"))) + "</code>: undetermined, missing " +
           escape(missing) + "</li>";
  }
  return out.empty() ? "" : "<ul>" + out + "</ul>";
}

// Grouped bars, before (grey) and after (blue), one group per label.
std::string bar_chart(const std::vector<std::string>& labels,
                      const std::vector<std::pair<int64_t, int64_t>>& values,
                      const std::string& title) {
  int64_t top = 1;
  for (const auto& [a, b] : values) top = std::max({top, a, b});
  const int group = 90, height = 160, base = 180;
  int width = 40 + group * static_cast<int>(labels.size());
  std::string svg = "<svg role=img aria-label=\"" + escape(title) + "\" width=" +
                    std::to_string(width) + " height=220 viewBox=\"0 0 " + std::to_string(width) +
                    " 220\"><title>" + escape(title) + "</title>";
  for (size_t i = 0; i < labels.size(); ++i) {
    int x = 30 + group * static_cast<int>(i);
    for (int k = 0; k < 2; ++k) {
      int64_t v = k == 0 ? values[i].first : values[i].second;
      int h = static_cast<int>(static_cast<double>(v) / static_cast<double>(top) * height);
      svg += "<rect x=" + std::to_string(x + k * 32) + " y=" + std::to_string(base - h) +
             " width=28 height=" + std::to_string(h) + " fill=\"" +
             (k == 0 ? "#9aa3ad" : "#2f6fb3") + "\"><title>" + escape(labels[i]) +
             (k == 0 ? " before: " : " after: ") + std::to_string(v) + "</title></rect>";
      svg += "<text x=" + std::to_string(x + k * 32 + 14) + " y=" + std::to_string(base - h - 4) +
             " text-anchor=middle font-size=11>" + std::to_string(v) + "</text>";
    }
    svg += "<text x=" + std::to_string(x + 30) + " y=" + std::to_string(base + 16) +
           " text-anchor=middle font-size=12>" + escape(labels[i]) + "</text>";
  }
  return svg + "</svg>";
}

const char* kStyle = R"(body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#1d2429;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #d5dbe1}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d5dbe1;padding:.3em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f4f6}
.warn{background:#fff4d6;border:1px solid #e0b84c;padding:.6em 1em;border-radius:4px}
.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
code{background:#f2f4f6;padding:0 .2em}.f{color:#5b6670;font-size:.9em}details{margin:.3em 0}
.sig td{height:3em;min-width:16em})";

}  // namespace

std::string impact_text(const json::object& report) {
  const auto& c = report.at("candidate").as_object();
  int64_t decisions = num(report.at("decisions"));
  std::string out = "impact of " + str(c.at("name")) + " " + str(c.at("version")) + " (" +
                    str(c.at("sha256")).substr(0, 12) + "): " +
                    std::to_string(num(report.at("changed"))) + " of " +
                    std::to_string(decisions) + " decisions change\n";
  if (num(report.at("not_replayed")))
    out += "  " + std::to_string(num(report.at("not_replayed"))) + " records could not be replayed\n";
  for (const auto& w : report.at("warnings").as_array()) out += "WARNING: " + str(w) + "\n";
  out += "\noutcome     before          after\n";
  for (const char* o : kOutcomes) {
    const auto& row = report.at("outcomes").at(o).as_object();
    char line[128];
    std::snprintf(line, sizeof line, "%-9s %7lld %6s  %7lld %6s\n", o,
                  static_cast<long long>(num(row.at("before"))), percent(real(row.at("before_rate"))).c_str(),
                  static_cast<long long>(num(row.at("after"))), percent(real(row.at("after_rate"))).c_str());
    out += line;
  }
  out += "\nchanges\n";
  for (const auto& ch : report.at("changes").as_array()) {
    const auto& o = ch.as_object();
    out += "  " + str(o.at("from")) + " -> " + str(o.at("to")) + ": " +
           std::to_string(num(o.at("decisions"))) + "\n";
    for (const auto& cause : o.at("causes").as_array())
      out += "      " + str(cause.at("code")) + " " + str(cause.at("change")) + ": " +
             std::to_string(num(cause.at("decisions"))) + "\n";
    for (const auto& e : o.at("examples").as_array())
      out += "      e.g. " + str(e.at("decision_id")) + ": " +
             reasons_of(e.at("before").as_object()) + " -> " +
             reasons_of(e.at("after").as_object()) + "\n";
  }
  out += "\nreason                          fired before  after   undetermined before  after\n";
  for (const auto& r : report.at("reasons").as_array()) {
    const auto& o = r.as_object();
    char line[256];
    std::snprintf(line, sizeof line, "%-32s %11lld %6lld %21lld %6lld\n", str(o.at("code")).c_str(),
                  static_cast<long long>(num(o.at("fired_before"))),
                  static_cast<long long>(num(o.at("fired_after"))),
                  static_cast<long long>(num(o.at("undetermined_before"))),
                  static_cast<long long>(num(o.at("undetermined_after"))));
    out += line;
    for (const auto& [fact, n] : o.at("missing_after").as_object())
      out += "      missing " + std::string(fact) + ": " + std::to_string(num(n)) + "\n";
  }
  return out;
}

std::string impact_html(const json::object& report) {
  const auto& c = report.at("candidate").as_object();
  const auto& range = report.at("range").as_object();
  std::string name = str(c.at("name")) + " " + str(c.at("version"));
  std::string h = "<!doctype html><html lang=en><head><meta charset=utf-8>"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">"
                  "<title>Impact of " + escape(name) + "</title><style>" + kStyle +
                  "</style></head><body>";
  h += "<h1>Impact of policy " + escape(name) + "</h1>";
  h += "<p>Candidate sha256 <code>" + escape(str(c.at("sha256"))) + "</code>, replayed over the " +
       "decisions recorded " +
       (str(range.at("from")).empty() ? std::string("since the log began")
                                      : "from " + escape(str(range.at("from")))) +
       (str(range.at("to")).empty() ? std::string(" until now") : " to " + escape(str(range.at("to")))) +
       ".</p>";
  h += "<p><strong data-k=\"changed\">" + std::to_string(num(report.at("changed"))) +
       "</strong> of <strong data-k=\"decisions\">" + std::to_string(num(report.at("decisions"))) +
       "</strong> decisions would change. Records that could not be replayed: <span "
       "data-k=\"not_replayed\">" + std::to_string(num(report.at("not_replayed"))) + "</span>.</p>";
  for (const auto& w : report.at("warnings").as_array())
    h += "<p class=warn><strong>Warning:</strong> " + escape(str(w)) + "</p>";

  // Outcomes.
  h += "<h2>Outcomes before and after</h2><p class=legend><span style=\"background:#9aa3ad\">"
       "</span>before<span style=\"background:#2f6fb3\"></span>after</p>";
  std::vector<std::string> labels(std::begin(kOutcomes), std::end(kOutcomes));
  std::vector<std::pair<int64_t, int64_t>> values;
  h += "<table><tr><th>outcome</th><th>before</th><th>rate</th><th>after</th><th>rate</th>"
       "<th>change</th></tr>";
  for (const char* o : kOutcomes) {
    const auto& row = report.at("outcomes").at(o).as_object();
    int64_t b = num(row.at("before")), a = num(row.at("after"));
    values.emplace_back(b, a);
    std::string path = std::string("outcomes.") + o;
    h += "<tr><th>" + std::string(o) + "</th>" + cell(path + ".before", b) + "<td class=n>" +
         percent(real(row.at("before_rate"))) + "</td>" + cell(path + ".after", a) +
         "<td class=n>" + percent(real(row.at("after_rate"))) + "</td><td class=n>" +
         signed_number(a - b) + "</td></tr>";
  }
  h += "</table>" + bar_chart(labels, values, "Decisions per outcome, before and after");

  // The transition matrix.
  h += "<h2>Transitions</h2><p>Rows: the outcome as decided; columns: the outcome the "
       "candidate gives.</p><table><tr><th>before \\ after</th>";
  for (const char* o : kOutcomes) h += "<th>" + std::string(o) + "</th>";
  h += "</tr>";
  for (const char* a : kOutcomes) {
    h += "<tr><th>" + std::string(a) + "</th>";
    for (const char* b : kOutcomes)
      h += cell(std::string("matrix.") + a + "." + b, num(report.at("matrix").at(a).at(b)));
    h += "</tr>";
  }
  h += "</table>";

  // Each kind of change, its causes and examples.
  h += "<h2>What changes, and why</h2>";
  const auto& changes = report.at("changes").as_array();
  if (changes.empty()) h += "<p>No decision changes.</p>";
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto& ch = changes[i].as_object();
    std::string path = "changes." + std::to_string(i);
    h += "<h3>" + escape(str(ch.at("from"))) + " &rarr; " + escape(str(ch.at("to"))) +
         ": <span data-k=\"" + path + ".decisions\">" + std::to_string(num(ch.at("decisions"))) +
         "</span> decisions</h3><table><tr><th>reason</th><th>change</th><th>decisions</th></tr>";
    const auto& causes = ch.at("causes").as_array();
    for (size_t k = 0; k < causes.size(); ++k)
      h += "<tr><td><code>" + escape(str(causes[k].at("code"))) + "</code></td><td>" +
           escape(str(causes[k].at("change"))) + "</td>" +
           cell(path + ".causes." + std::to_string(k) + ".decisions",
                num(causes[k].at("decisions"))) +
           "</tr>";
    h += "</table>";
    for (const auto& e : ch.at("examples").as_array()) {
      const auto& ex = e.as_object();
      const auto& before = ex.at("before").as_object();
      const auto& after = ex.at("after").as_object();
      h += "<details><summary>Decision <code>" + escape(str(ex.at("decision_id"))) + "</code> (" +
           escape(str(ex.at("time"))) + "): " + escape(reasons_of(before)) + " &rarr; " +
           escape(reasons_of(after)) + "</summary><p>Before (" + escape(str(before.at("outcome"))) +
           ")</p>" + evidence_of(before) + "<p>After (" + escape(str(after.at("outcome"))) + ")</p>" +
           evidence_of(after) + "</details>";
    }
  }

  // Per reason.
  h += "<h2>Reasons</h2><table><tr><th>reason</th><th>fired before</th><th>fired after</th>"
       "<th>undetermined before</th><th>undetermined after</th><th>facts missed (after)</th></tr>";
  std::vector<std::string> reason_labels;
  std::vector<std::pair<int64_t, int64_t>> fired;
  const auto& reasons = report.at("reasons").as_array();
  for (size_t i = 0; i < reasons.size(); ++i) {
    const auto& r = reasons[i].as_object();
    std::string path = "reasons." + std::to_string(i);
    std::string missing;
    for (const auto& [fact, n] : r.at("missing_after").as_object())
      missing += (missing.empty() ? "" : ", ") + escape(std::string(fact)) + " (" +
                 std::to_string(num(n)) + ")";
    h += "<tr><td><code>" + escape(str(r.at("code"))) + "</code>" +
         (r.at("in_candidate").as_bool() ? "" : " (not in the candidate)") + "</td>" +
         cell(path + ".fired_before", num(r.at("fired_before"))) +
         cell(path + ".fired_after", num(r.at("fired_after"))) +
         cell(path + ".undetermined_before", num(r.at("undetermined_before"))) +
         cell(path + ".undetermined_after", num(r.at("undetermined_after"))) + "<td>" + missing +
         "</td></tr>";
    if (num(r.at("fired_before")) != num(r.at("fired_after"))) {
      reason_labels.push_back(str(r.at("code")));
      fired.emplace_back(num(r.at("fired_before")), num(r.at("fired_after")));
    }
  }
  h += "</table>";
  if (!reason_labels.empty())
    h += "<p>Reasons that fire more or less often:</p>" +
         bar_chart(reason_labels, fired, "Fired before and after, per changed reason");

  h += "<h2>Sign-off</h2><table class=sig><tr><th>Reviewed by</th><td></td></tr><tr><th>Date"
       "</th><td></td></tr><tr><th>Signature</th><td></td></tr></table>";
  h += "</body></html>\n";
  return h;
}

}  // namespace kyc::service
