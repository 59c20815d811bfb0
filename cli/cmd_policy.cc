// kyc policy history|diff: change control over the audit log. history lists every activation
// (when, which version, after which, what triggered it, who, and the note of a deployment);
// diff shows what changed between two recorded policies, their text and every list or table
// they read. The reading and the diff are service/policy_history's, shared with the console.
#include <boost/json.hpp>
#include <iostream>

#include "cli/commands.h"
#include "common/utf8.h"
#include "service/policy_history.h"
#include "store/decision_log.h"

namespace kyc::cli {

namespace {

// Recorded text as a terminal may show it: control characters (an ESC that recolours or
// clears the line, a carriage return that writes over it), C1 controls and the marks that
// reverse the direction of text are written as <U+XXXX>, bytes that are not UTF-8 as U+FFFD.
// A deployer's note or a policy's version could otherwise rewrite what the trail shows.
std::string shown(std::string_view recorded) {
  std::string text = common::repaired_utf8(recorded), out;
  auto code = [&out](unsigned cp) {
    static const char* hex = "0123456789ABCDEF";
    out += "<U+";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
    out += ">";
  };
  for (size_t i = 0; i < text.size();) {
    size_t start = i;
    char32_t cp = common::next_code_point(text, i);  // repaired: always a code point
    bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if (control)
      code(static_cast<unsigned>(cp));
    else
      out.append(text, start, i - start);
  }
  return out;
}

// The recorded activations, or an empty optional after saying why on stderr.
std::optional<std::vector<service::Activation>> read_history(store::DecisionLog& log) {
  auto history = service::policy_history(log);
  if (!history) {
    std::cerr << history.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*history);
}

std::optional<service::RecordedSource> recorded(store::DecisionLog& log,
                                                const std::string& sha256) {
  auto policy = service::recorded_source(log, sha256);
  if (!policy) {
    std::cerr << policy.error().message << "\n";
    return std::nullopt;
  }
  if (!*policy) std::cerr << "policy " << sha256 << " is not in the log\n";
  return std::move(*policy);
}

}  // namespace

void add_policy(CLI::App& app) {
  auto* policy = app.add_subcommand("policy", "Change control: activations and their differences");
  policy->require_subcommand(1);
  static std::string data_dir = "var", store, format = "text", a_name, b_name;

  auto* history = policy->add_subcommand("history", "List every policy activation, oldest first");
  history->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  add_store_option(history, store);
  history->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  history->callback([] {
    auto log = open_log(store, data_dir);
    auto list = log ? read_history(*log) : std::nullopt;
    if (!list) {
      exit_code = 1;
      return;
    }
    if (format == "json") {
      boost::json::array out;
      for (const auto& a : *list) out.push_back(service::activation_json(a));
      std::cout << boost::json::serialize(out) << "\n";
      return;
    }
    std::cout << "time                      version          sha256        previous      trigger"
                 "      by  note\n";
    for (const auto& a : *list) {
      std::string version = shown(a.version);
      version.resize(std::max<size_t>(version.size(), 16), ' ');
      std::string trigger = shown(a.trigger);
      trigger.resize(std::max<size_t>(trigger.size(), 12), ' ');
      // A note is one line here, whatever the admin typed.
      std::string note = a.note;
      for (char& c : note)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      note = shown(note);
      std::cout << a.time << "  " << version << " " << service::short_sha256(a.sha256) << "  "
                << service::short_sha256(a.previous_sha256)
                << (a.previous_sha256.empty() ? "            " : "") << "  " << trigger << " "
                << (a.by.empty() ? "-" : shown(a.by)) << (note.empty() ? "" : "  " + note)
                << "\n";
    }
    std::cout << list->size() << " activation(s)\n";
  });

  auto* diff = policy->add_subcommand(
      "diff", "Show what changed between two recorded policies (by version or sha256 prefix)");
  diff->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  add_store_option(diff, store);
  diff->add_option("a", a_name, "The earlier policy: a version or a sha256 prefix")->required();
  diff->add_option("b", b_name, "The later policy: a version or a sha256 prefix")->required();
  diff->callback([] {
    auto log = open_log(store, data_dir);
    auto list = log ? read_history(*log) : std::nullopt;
    if (!list) {
      exit_code = 1;
      return;
    }
    const service::Activation* a = service::find_activation(*list, a_name);
    const service::Activation* b = service::find_activation(*list, b_name);
    for (auto [found, name] : {std::pair{a, a_name}, {b, b_name}})
      if (!found) {
        std::cerr << "no activation of a policy with version or sha256 '" << name
                  << "' (kyc policy history lists them)\n";
        exit_code = 1;
      }
    if (exit_code) return;
    auto old_policy = recorded(*log, a->sha256);
    auto new_policy = recorded(*log, b->sha256);
    if (!old_policy || !new_policy) {
      exit_code = 1;
      return;
    }
    std::string out = service::policy_diff(*a, *old_policy, *b, *new_policy);
    std::cout << (out.empty() ? "no difference\n" : out);
  });
}

}  // namespace kyc::cli
