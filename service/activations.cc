#include "service/activations.h"

#include <boost/json.hpp>

#include "service/decision_id.h"
#include "service/policy_store.h"
#include "service/replay.h"

namespace kyc::service {

store::AuditRecord activation_record(const Activation& a, std::shared_ptr<const std::string> text,
                                     std::shared_ptr<const std::vector<store::PolicyFile>> files) {
  store::AuditRecord r;
  r.decision_id = new_decision_id();
  r.time = a.time;
  r.stage = store::kActivationStage;
  r.facts = "{}";
  r.today = a.time.substr(0, 10);
  r.policy_sha256 = a.sha256;
  r.policy_text = std::move(text);
  r.policy_files = std::move(files);
  r.decision = boost::json::serialize(boost::json::object{{"version", a.version},
                                                          {"sha256", a.sha256},
                                                          {"text_sha256", a.text_sha256},
                                                          {"previous_sha256", a.previous_sha256},
                                                          {"trigger", a.trigger},
                                                          {"by", a.by},
                                                          {"file", a.file},
                                                          {"note", a.note}});
  return r;
}

std::optional<Activation> read_activation(const store::StoredRecord& record) {
  if (record.record.stage != store::kActivationStage) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(record.record.decision, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  auto text = [&](const char* key) {
    auto* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  return Activation{record.record.time,
                    text("version"),
                    text("sha256"),
                    text("text_sha256"),
                    text("previous_sha256"),
                    text("trigger"),
                    text("by"),
                    text("file"),
                    text("note")};
}

common::Result<void> record_activations(PolicyStore& policies, store::DecisionLog& log,
                                        std::function<void(const std::string&)> on_error) {
  auto recorded = log.activations();
  if (!recorded) return recorded.error();
  if (!recorded->empty())
    if (auto last = read_activation(recorded->back())) policies.resume(*last);
  policies.on_activate([&log, on_error](const Activation& a, const ActivePolicy& active) {
    log.append(
        activation_record(a, active.source_text, active.files),
        [on_error, a](store::DecisionLog::Commit c) {
          if (c != store::DecisionLog::Commit::Committed && on_error)
            on_error("the activation of " + a.sha256 + " (" + a.trigger + ") was not recorded");
        });
  });
  return {};
}

ActivationFollower::ActivationFollower(PolicyStore& policies, store::DecisionLog& log,
                                       std::function<void(const Activation&)> on_followed,
                                       std::function<void(const std::string&)> on_error)
    : log_(log) {
  log.watch_activations([&policies, &log, on_followed, on_error] {
    auto recorded = log.activations();
    if (!recorded) return on_error(recorded.error().message);
    if (recorded->empty()) return;
    auto last = read_activation(recorded->back());
    if (!last || last->sha256 == policies.current()->compiled->sha256) return;
    auto source = recorded_source(log, last->sha256);
    if (!source) return on_error(source.error().message);
    if (!*source) return on_error("policy " + last->sha256 + " is not in the log");
    auto compiled = compile_recorded(**source);
    if (!compiled) return on_error(compiled.error().message);
    auto files = std::make_shared<const std::vector<store::PolicyFile>>(std::move((*source)->files));
    policies.follow(*last, std::make_shared<const ActivePolicy>(ActivePolicy{
                               *compiled, std::make_shared<const std::string>((*source)->text),
                               std::move(files), last->file, last->time}));
    on_followed(*last);
  });
}

}  // namespace kyc::service
