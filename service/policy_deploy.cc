// PolicyStore::deploy: the console's deploy, one step under the store's lock (policy_deploy.h).
#include <filesystem>
#include <vector>

#include "common/file_replace.h"
#include "common/sha256.h"
#include "service/clock.h"
#include "service/policy_store.h"

namespace kyc::service {

namespace {

// A file as it was before a deploy replaced it: its text, or none (the deploy created it).
struct Previous {
  std::string path;
  std::optional<std::string> text;
};

// Puts the files back as they were; what could not be, or "".
std::string put_back(const std::vector<Previous>& files) {
  std::string out;
  for (const auto& f : files) {
    if (f.text) {
      if (auto put = common::replace_file(f.path, *f.text); !put) out += put.error().message + "; ";
    } else {
      std::error_code ec;
      std::filesystem::remove(f.path, ec);
      if (ec)
        out += "cannot remove " + std::filesystem::path(f.path).filename().string() + ": " +
               ec.message() + "; ";
    }
  }
  return out;
}

std::string without_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

DeployResult refused(DeployStatus status, std::string detail, DeployResult out = {}) {
  out.status = status;
  out.detail = without_newline(std::move(detail));
  return out;
}

}  // namespace

DeployResult PolicyStore::deploy(const Deployment& d) {
  // Held throughout: the watcher and reload() wait, so the activation recorded is this one,
  // with its note, and the version rule compares against the policy running now.
  std::lock_guard lock(mutex_);
  DeployResult out;
  auto candidate = load_candidate(d.text);
  if (!candidate.ok()) {
    out.policy_source = candidate.source;
    out.policy_diagnostics = candidate.diagnostics;
    return refused(DeployStatus::InvalidPolicy,
                   "the policy does not load: " +
                       std::to_string(candidate.diagnostics.error_count()) + " error(s)",
                   std::move(out));
  }
  std::string tests_name = tests_file();
  std::optional<std::string> tests = d.tests ? d.tests : tests_text();
  if (!tests)
    return refused(DeployStatus::NoTests,
                   "no tests were sent and there is no " + tests_name +
                       " beside the policy: a policy is deployed only when its tests pass");
  out.tests = run_tests(candidate, tests_name, *tests);
  const TestRun& run = *out.tests;
  if (!run.diagnostics.has_errors() && run.cases() == 0)
    return refused(DeployStatus::NoTests, tests_name + " has no case", std::move(out));
  if (!run.passed())
    return refused(
        DeployStatus::TestsFailed,
        run.diagnostics.has_errors()
            ? tests_name + " has " + std::to_string(run.diagnostics.error_count()) + " error(s)"
            : std::to_string(run.report.failed) + " of " + std::to_string(run.cases()) +
                  " cases of " + tests_name + " fail",
        std::move(out));
  if (std::string why = version_refusal(candidate.compiled->version,
                                        common::sha256_hex(candidate.source->text()));
      !why.empty())
    return refused(DeployStatus::VersionRequired, why, std::move(out));

  // What is there now, kept to be put back. Tests first: a policy file is never in place
  // before the tests it passed.
  struct Write {
    std::string name;  // in the folder
    const std::string* text;
  };
  std::vector<Write> writes;
  if (d.tests) writes.push_back({tests_name, &*d.tests});
  writes.push_back({file_, &d.text});
  std::vector<Previous> previous;
  for (const auto& w : writes) {
    std::string path = (std::filesystem::path(folder_) / w.name).string();
    auto before = dsl::read_inside(folder_, w.name, dsl::ParseOptions{}.max_source_bytes);
    std::error_code ec;
    bool absent =
        std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::not_found;
    if (!before && !absent)
      return refused(DeployStatus::WriteFailed,
                     "cannot keep the previous " + w.name +
                         " to put it back if need be: " + before.error().message,
                     std::move(out));
    previous.push_back(
        {path, before ? std::optional<std::string>(std::move(*before)) : std::nullopt});
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (auto written = common::replace_file(previous[i].path, *writes[i].text); !written) {
      std::string undone = put_back(std::vector<Previous>(previous.begin(), previous.begin() + i));
      seen_signature_ = signature();
      return refused(DeployStatus::WriteFailed,
                     written.error().message + (undone.empty() ? "" : "; " + undone),
                     std::move(out));
    }
  }

  last_reload_at_ = now_rfc3339();
  auto watched = watched_;
  std::string running_before = running_.sha256;
  std::string why = activate("console", d.by, d.note);
  if (on_reload_) on_reload_("console", why);
  if (!why.empty()) {
    std::string undone = put_back(previous);
    // The files are the old ones again: watch what the running policy reads, as before.
    watched_ = std::move(watched);
    seen_signature_ = signature();
    std::string files = undone.empty() ? " (the previous files are back)"
                                       : "; the previous files are not all back: " + undone;
    return refused(DeployStatus::ActivationFailed, without_newline(why) + files, std::move(out));
  }
  last_error_.clear();
  out.active = current_.load();
  out.activated = running_.sha256 != running_before;
  return out;
}

}  // namespace kyc::service
