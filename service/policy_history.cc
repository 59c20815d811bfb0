#include "service/policy_history.h"

#include <map>

#include "common/line_diff.h"
#include "common/sha256.h"
#include "dsl/policy_files.h"

namespace kyc::service {

common::Result<std::vector<Activation>> policy_history(store::DecisionLog& log) {
  auto records = log.activations();
  if (!records) return records.error();
  std::vector<Activation> out;
  for (const auto& r : *records)
    if (auto a = read_activation(r)) out.push_back(std::move(*a));
  return out;
}

boost::json::object activation_json(const Activation& a) {
  return {{"time", a.time},       {"version", a.version},
          {"sha256", a.sha256},   {"previous_sha256", a.previous_sha256},
          {"trigger", a.trigger}, {"by", a.by},
          {"note", a.note},       {"file", a.file}};
}

std::string short_sha256(const std::string& sha256) {
  return sha256.empty() ? "-" : sha256.substr(0, 12);
}

const Activation* find_activation(const std::vector<Activation>& history, const std::string& name) {
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (it->version == name) return &*it;
  if (name.size() >= kMinShaPrefix)
    for (auto it = history.rbegin(); it != history.rend(); ++it)
      if (it->sha256.starts_with(name)) return &*it;
  return nullptr;
}

common::Result<std::optional<RecordedSource>> recorded_source(store::DecisionLog& log,
                                                              const std::string& sha256) {
  auto text = log.policy_text(sha256);
  if (!text) return text.error();
  if (!*text) return std::optional<RecordedSource>();
  auto files = log.policy_files(sha256);
  if (!files) return files.error();
  return std::optional<RecordedSource>(
      RecordedSource{sha256, std::move(**text), std::move(*files)});
}

std::string check_recorded_policy(store::DecisionLog& log, const std::string& sha256) {
  auto source = recorded_source(log, sha256);
  if (!source) return source.error().message;
  std::string named = "the policy it names (" + short_sha256(sha256) + ")";
  if (!*source) return named + " is not in the log: its text was removed";
  std::vector<dsl::PolicyFile> files;
  for (const auto& f : (*source)->files) {
    if (common::sha256_hex(f.content) != f.sha256)
      return named + " read " + f.path + ", whose stored content does not match its sha256 " +
             "(edited)";
    files.push_back({f.path, f.sha256, f.content});
  }
  if (dsl::policy_sha256((*source)->text, files) != sha256)
    return named + " has a stored text that does not match its sha256 (edited)";
  return "";
}

std::string policy_diff(const Activation& from, const RecordedSource& old_policy,
                        const Activation& to, const RecordedSource& new_policy) {
  std::string out =
      common::line_diff(old_policy.text, new_policy.text,
                        from.file + " (" + from.version + ", " + short_sha256(from.sha256) + ")",
                        to.file + " (" + to.version + ", " + short_sha256(to.sha256) + ")");
  std::map<std::string, std::pair<std::string, std::string>> files;  // path -> old, new content
  for (const auto& f : old_policy.files) files[f.path].first = f.content;
  for (const auto& f : new_policy.files) files[f.path].second = f.content;
  for (const auto& [path, contents] : files)
    out += common::line_diff(contents.first, contents.second, path + " (" + from.version + ")",
                             path + " (" + to.version + ")");
  return out;
}

}  // namespace kyc::service
