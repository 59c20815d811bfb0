#include "service/replay.h"

#include <algorithm>
#include <boost/json.hpp>

#include "common/exact_json.h"
#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"
#include "service/personal_facts.h"
#include "service/policy_history.h"
#include "store/decision_summary.h"

namespace kyc::service {

namespace {

std::string describe_difference(const std::string& recorded, const std::string& replayed) {
  size_t i = 0;
  while (i < recorded.size() && i < replayed.size() && recorded[i] == replayed[i]) ++i;
  auto around = [i](const std::string& s) {
    size_t from = i > 40 ? i - 40 : 0;
    return s.substr(from, 100);
  };
  return "differs at byte " + std::to_string(i) + ": recorded …" + around(recorded) +
         "… replayed …" + around(replayed) + "…";
}

class PolicyCache {
 public:
  explicit PolicyCache(store::DecisionLog& log) : log_(log) {}
  struct Scratch {
    engine::FactFrame frame;
    engine::Evaluator evaluator;
  };
  Scratch& scratch(const engine::CompiledPolicy& policy) {
    auto& s = scratch_[&policy];
    if (!s)
      s = std::make_unique<Scratch>(
          Scratch{engine::FactFrame(policy.schema), engine::Evaluator(policy)});
    return *s;
  }
  Result<const engine::CompiledPolicy*> get(const std::string& sha256) {
    auto it = compiled_.find(sha256);
    if (it != compiled_.end()) return it->second.get();
    auto compiled = recorded_policy(log_, sha256);
    if (!compiled) return compiled.error();
    return (compiled_[sha256] = *compiled).get();
  }

 private:
  store::DecisionLog& log_;
  std::map<std::string, std::shared_ptr<const engine::CompiledPolicy>> compiled_;
  std::map<const engine::CompiledPolicy*, std::unique_ptr<Scratch>> scratch_;
};

}  // namespace

namespace {

// Replays into a frame and evaluator the caller keeps, so a long replay allocates them once.
// The rendering withholds the opened personal values as the recorded decision does.
Result<Replayed> replay_into(const store::StoredRecord& stored, engine::FactFrame& frame,
                             engine::Evaluator& ev, const std::string& locale,
                             PersonalSeal* seal, bool withhold_personal = true) {
  auto opened = open_facts(stored.record, seal);
  if (!opened) return opened.error();
  // Both recorded JSON texts live only for this call: parse them into one reused arena.
  thread_local std::vector<unsigned char> arena(1 << 16);
  boost::json::monotonic_resource memory(arena.data(), arena.size());
  boost::json::storage_ptr storage(&memory);
  boost::system::error_code ec;
  // Read exactly: the facts as they were written (common/exact_json.h).
  boost::json::value facts = common::parse_json_exact(opened->facts, ec, storage);
  boost::json::value recorded_value =
      ec ? boost::json::value() : common::parse_json_exact(stored.record.decision, ec, storage);
  if (ec || !recorded_value.is_object())
    return common::fail("recorded JSON does not parse: " + ec.message());
  frame.reset();
  // Not strict: a record keeps every fact the decision saw, declared or not (recorded_facts.h),
  // so a candidate policy may read more of them and the recorded one skips the rest.
  auto read = engine::read_facts(facts, frame);
  if (!read.ok())
    return common::fail("recorded facts do not read: " + read.errors.front().path + ": " +
                        read.errors.front().message);
  const boost::json::object& recorded = recorded_value.get_object();
  auto text = [&](const char* key) -> std::string {
    auto* v = recorded.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : "";
  };
  const auto& verdict = ev.evaluate(frame);
  engine::Decision d =
      engine::explain(ev, frame, verdict, locale.empty() ? text("locale") : locale);
  d.decision_id = stored.record.decision_id;
  d.evaluated_at = stored.record.time;
  d.account_id = stored.record.account_id;
  if (auto* ignored = recorded.if_contains("ignored_facts"))
    for (const auto& i : ignored->as_array()) d.ignored_facts.emplace_back(i.as_string());
  Replayed out;
  out.decision = engine::decision_json(d);
  if (withhold_personal && !opened->personal.empty()) out.decision = withhold(std::move(out.decision), opened->personal);
  out.erased = std::move(opened->erased);
  out.erased_at = std::move(opened->erased_at);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The reasons whose verdict may differ without the erased facts: those whose condition reads
// one, and those they hide (a hidden reason shows once its hider no longer fires), onwards.
std::vector<bool> uncheckable(const engine::CompiledPolicy& policy,
                              const std::vector<std::string>& erased) {
  std::vector<bool> out(policy.reasons.size(), false);
  for (size_t i = 0; i < policy.reasons.size(); ++i)
    for (uint32_t slot : policy.reasons[i].facts)
      if (contains(erased, policy.schema.slot(slot).name)) out[i] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < out.size(); ++i)
      if (out[i])
        for (uint32_t hidden : policy.reasons[i].hides)
          if (!out[hidden]) out[hidden] = changed = true;
  }
  return out;
}

// A record whose personal facts were erased replays without them. Every reason that reads
// none of them (nor is hidden by one that does) must have the verdict it had: fired,
// undetermined, or neither.
std::string compare_without_erased(const store::AuditRecord& record, const Replayed& replayed,
                                   const engine::CompiledPolicy& policy) {
  auto recorded = store::summarize(record.stage, record.decision);
  auto again = store::summarize(record.stage, replayed.decision);
  if (!recorded.is_decision || !again.is_decision) return "the decisions do not parse";
  auto verdict = [](const store::DecisionSummary& d, const std::string& code) {
    if (contains(d.reasons, code)) return "fired";
    if (contains(d.undetermined, code)) return "undetermined";
    return "not fired";
  };
  auto skip = uncheckable(policy, replayed.erased);
  for (size_t i = 0; i < policy.reasons.size(); ++i) {
    if (skip[i]) continue;
    const std::string& code = policy.reasons[i].code;
    std::string then = verdict(recorded, code), now = verdict(again, code);
    if (then != now)
      return "reason " + code + " reads no erased fact: " + then + " when decided, " + now + " now";
  }
  return "";
}

// "" when the replay matches the record.
std::string compare(const store::AuditRecord& record, const Replayed& replayed,
                    const engine::CompiledPolicy& policy) {
  if (!replayed.erased.empty()) return compare_without_erased(record, replayed, policy);
  return replayed.decision == record.decision
             ? ""
             : describe_difference(record.decision, replayed.decision);
}

}  // namespace

Result<Replayed> replay_decision(const store::StoredRecord& stored,
                                 const engine::CompiledPolicy& policy, const std::string& locale,
                                 PersonalSeal* seal, bool withhold_personal) {
  engine::FactFrame frame(policy.schema);
  engine::Evaluator ev(policy);
  return replay_into(stored, frame, ev, locale, seal, withhold_personal);
}

Result<std::shared_ptr<const engine::CompiledPolicy>> recorded_policy(store::DecisionLog& log,
                                                                      const std::string& sha256) {
  auto source = recorded_source(log, sha256);
  if (!source) return source.error();
  if (!*source) return common::fail("policy " + sha256 + " is not in the log");
  return compile_recorded(**source);
}

Result<std::shared_ptr<const engine::CompiledPolicy>> compile_recorded(
    const RecordedSource& source) {
  const std::string& sha256 = source.sha256;
  std::vector<dsl::PolicyFile> files;
  for (const auto& f : source.files) files.push_back({f.path, f.sha256, f.content});
  auto loaded = dsl::load_policy("recorded:" + sha256.substr(0, 12), source.text,
                                 dsl::RecordedFiles(files));
  if (!loaded.ok())
    return common::fail("recorded policy " + sha256 + " no longer loads:\n" + loaded.report());
  // The text and its files must be what the record names: anything else is not the policy
  // that made the decisions.
  if (loaded.compiled->sha256 != sha256)
    return common::fail("recorded policy " + sha256 + " does not match its text and files (" +
                        loaded.compiled->sha256 + ")");
  return loaded.compiled;
}

OneReplay replay_one(store::DecisionLog& log, const store::StoredRecord& record,
                     PersonalSeal* seal) {
  OneReplay out;
  if (record.record.stage == store::kActivationStage) {
    out.difference = "record " + record.record.decision_id + " is a policy activation, not a decision";
    return out;
  }
  if (store::is_chain_stage(record.record.stage)) {
    out.difference = "record " + record.record.decision_id +
                     " is a record of the audit chain, not a decision";
    return out;
  }
  PolicyCache cache(log);
  auto policy = cache.get(record.record.policy_sha256);
  if (!policy) {
    out.difference = policy.error().message;
    return out;
  }
  auto replayed = replay_decision(record, **policy, "", seal);
  if (!replayed) {
    out.difference = replayed.error().message;
    return out;
  }
  out.difference = compare(record.record, *replayed, **policy);
  out.erased = std::move(replayed->erased);
  out.erased_at = std::move(replayed->erased_at);
  return out;
}

Result<ReplayReport> replay(store::DecisionLog& log, const ReplayOptions& options) {
  ReplayReport report;
  if (options.candidate) report.impact.emplace(options.candidate, options.examples);
  PolicyCache cache(log);
  bool cancelled = false;
  auto read = log.range(options.from, options.to, [&](const store::StoredRecord& s) {
    if (options.stop && options.stop()) {
      cancelled = true;
      return false;
    }
    if (s.record.stage == store::kActivationStage) {
      ++report.activations;  // a policy change, not a decision: nothing to re-evaluate
      return true;
    }
    if (store::is_chain_stage(s.record.stage)) return true;  // the chain's own records
    ++report.records;
    if (options.progress && report.records % 10000 == 0) options.progress(report.records);
    // Replayed with the candidate, or with the policy the record was decided with.
    const engine::CompiledPolicy* used = nullptr;
    Result<Replayed> replayed = [&]() -> Result<Replayed> {
      auto policy = options.candidate
                        ? Result<const engine::CompiledPolicy*>(options.candidate.get())
                        : cache.get(s.record.policy_sha256);
      if (!policy) return policy.error();
      used = *policy;
      auto& scratch = cache.scratch(**policy);
      return replay_into(s, scratch.frame, scratch.evaluator, "", options.seal);
    }();
    std::string error = replayed ? "" : replayed.error().message;
    if (replayed && !replayed->erased.empty()) ++report.erased;
    if (!options.candidate) {
      std::string difference = replayed ? compare(s.record, *replayed, *used) : error;
      if (difference.empty()) {
        ++report.matched;
      } else {
        ++report.mismatch_count;
        if (report.mismatches.size() < 20)
          report.mismatches.push_back(s.record.decision_id + ": " + difference);
      }
      return true;
    }
    if (!replayed) {
      ++report.mismatch_count;
      report.impact->not_replayed();
      if (report.mismatches.size() < 20)
        report.mismatches.push_back(s.record.decision_id + ": " + error);
      return true;
    }
    boost::system::error_code ec;
    auto before = boost::json::parse(s.record.decision, ec);
    if (ec || !before.is_object()) {
      ++report.mismatch_count;
      report.impact->not_replayed();
      return true;
    }
    auto recorded = cache.get(s.record.policy_sha256);
    if (!recorded) {
      ++report.mismatch_count;
      report.impact->not_replayed();
      if (report.mismatches.size() < 20)
        report.mismatches.push_back(s.record.decision_id + ": " + recorded.error().message);
      return true;
    }
    int64_t changed = report.impact->changed();
    report.impact->add(s, **recorded, before.get_object(),
                       boost::json::parse(replayed->decision).as_object());
    if (report.impact->changed() == changed) ++report.matched;
    return true;
  });
  if (!read) return read.error();
  if (cancelled)
    return common::fail("the replay was stopped after " + std::to_string(report.records) +
                        " decisions");
  return report;
}

boost::json::object report_json(const ReplayReport& report, const ReplayOptions& options) {
  boost::json::array mismatches;
  for (const auto& m : report.mismatches) mismatches.push_back(boost::json::string(m));
  boost::json::object out{{"records", report.records},
                          {"activations", report.activations},
                          {"matched", report.matched},
                          {"erased", report.erased},
                          {"mismatches", report.mismatch_count},
                          {"mismatch_examples", std::move(mismatches)}};
  if (report.impact) out["impact"] = report.impact->json(options.from, options.to);
  return out;
}

}  // namespace kyc::service
