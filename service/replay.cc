#include "service/replay.h"

#include <boost/json.hpp>

#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"
#include "service/policy_history.h"

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
Result<std::string> replay_into(const store::StoredRecord& stored, engine::FactFrame& frame,
                                engine::Evaluator& ev, const std::string& locale) {
  // Both recorded JSON texts live only for this call: parse them into one reused arena.
  thread_local std::vector<unsigned char> arena(1 << 16);
  boost::json::monotonic_resource memory(arena.data(), arena.size());
  boost::json::storage_ptr storage(&memory);
  boost::system::error_code ec;
  boost::json::value facts = boost::json::parse(stored.record.facts, ec, storage);
  boost::json::value recorded_value =
      ec ? boost::json::value() : boost::json::parse(stored.record.decision, ec, storage);
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
  return engine::decision_json(d);
}

}  // namespace

Result<std::string> replay_decision(const store::StoredRecord& stored,
                                    const engine::CompiledPolicy& policy,
                                    const std::string& locale) {
  engine::FactFrame frame(policy.schema);
  engine::Evaluator ev(policy);
  return replay_into(stored, frame, ev, locale);
}

Result<std::shared_ptr<const engine::CompiledPolicy>> recorded_policy(store::DecisionLog& log,
                                                                      const std::string& sha256) {
  auto source = recorded_source(log, sha256);
  if (!source) return source.error();
  if (!*source) return common::fail("policy " + sha256 + " is not in the log");
  std::vector<dsl::PolicyFile> files;
  for (auto& f : (*source)->files)
    files.push_back({std::move(f.path), std::move(f.sha256), std::move(f.content)});
  auto loaded = dsl::load_policy("recorded:" + sha256.substr(0, 12), std::move((*source)->text),
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

std::string replay_one(store::DecisionLog& log, const store::StoredRecord& record) {
  if (record.record.stage == store::kActivationStage)
    return "record " + record.record.decision_id + " is a policy activation, not a decision";
  if (store::is_chain_stage(record.record.stage))
    return "record " + record.record.decision_id +
           " is a record of the audit chain, not a decision";
  PolicyCache cache(log);
  auto policy = cache.get(record.record.policy_sha256);
  if (!policy) return policy.error().message;
  auto replayed = replay_decision(record, **policy);
  if (!replayed) return replayed.error().message;
  return *replayed == record.record.decision
             ? ""
             : describe_difference(record.record.decision, *replayed);
}

Result<ReplayReport> replay(store::DecisionLog& log, const ReplayOptions& options) {
  ReplayReport report;
  if (options.candidate) report.impact.emplace(options.candidate, options.examples);
  PolicyCache cache(log);
  auto read = log.range(options.from, options.to, [&](const store::StoredRecord& s) {
    if (s.record.stage == store::kActivationStage) {
      ++report.activations;  // a policy change, not a decision: nothing to re-evaluate
      return true;
    }
    if (store::is_chain_stage(s.record.stage)) return true;  // the chain's own records
    ++report.records;
    if (options.progress && report.records % 10000 == 0) options.progress(report.records);
    // Replayed with the candidate, or with the policy the record was decided with.
    Result<std::string> replayed = [&]() -> Result<std::string> {
      auto policy = options.candidate
                        ? Result<const engine::CompiledPolicy*>(options.candidate.get())
                        : cache.get(s.record.policy_sha256);
      if (!policy) return policy.error();
      auto& scratch = cache.scratch(**policy);
      return replay_into(s, scratch.frame, scratch.evaluator, "");
    }();
    std::string error = replayed ? "" : replayed.error().message;
    if (!options.candidate) {
      if (replayed && *replayed == s.record.decision) {
        ++report.matched;
      } else {
        ++report.mismatch_count;
        if (report.mismatches.size() < 20)
          report.mismatches.push_back(
              s.record.decision_id + ": " +
              (replayed ? describe_difference(s.record.decision, *replayed) : error));
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
                       boost::json::parse(*replayed).as_object());
    if (report.impact->changed() == changed) ++report.matched;
    return true;
  });
  if (!read) return read.error();
  return report;
}

boost::json::object report_json(const ReplayReport& report, const ReplayOptions& options) {
  boost::json::array mismatches;
  for (const auto& m : report.mismatches) mismatches.push_back(boost::json::string(m));
  boost::json::object out{{"records", report.records},
                          {"activations", report.activations},
                          {"matched", report.matched},
                          {"mismatches", report.mismatch_count},
                          {"mismatch_examples", std::move(mismatches)}};
  if (report.impact) out["impact"] = report.impact->json(options.from, options.to);
  return out;
}

}  // namespace kyc::service
