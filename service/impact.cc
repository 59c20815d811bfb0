#include "service/impact.h"

#include <boost/json.hpp>

#include "engine/outcome.h"

namespace kyc::service {

namespace json = boost::json;

namespace {

const char* const kOutcomes[] = {"approve", "resubmit", "review", "reject"};

std::string text_of(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::array& array_of(const json::object& o, const char* key) {
  static const json::array kEmpty;
  auto* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}

// The outcome each fired reason carries, by code.
std::map<std::string, std::string> reason_outcomes(const json::object& decision) {
  std::map<std::string, std::string> out;
  for (const auto& r : array_of(decision, "reasons"))
    if (r.is_object()) out[text_of(r.get_object(), "code")] = text_of(r.get_object(), "outcome");
  return out;
}

std::set<std::string> codes(const json::object& decision, const char* key) {
  std::set<std::string> out;
  for (const auto& r : array_of(decision, key))
    if (r.is_object()) out.insert(text_of(r.get_object(), "code"));
  return out;
}

// A decision as an example shows it: the outcome, the fired reasons with their evidence, the
// undetermined ones with the facts they missed. No message texts: they are the policy's.
json::object summary(const json::object& decision) {
  json::array reasons, undetermined;
  for (const auto& r : array_of(decision, "reasons"))
    if (r.is_object()) {
      const auto& o = r.get_object();
      json::object item{{"code", text_of(o, "code")}};
      if (auto* e = o.if_contains("evidence")) item["evidence"] = *e;
      reasons.push_back(std::move(item));
    }
  for (const auto& r : array_of(decision, "undetermined"))
    if (r.is_object()) {
      const auto& o = r.get_object();
      json::object item{{"code", text_of(o, "code")}};
      if (auto* m = o.if_contains("missing")) item["missing"] = *m;
      undetermined.push_back(std::move(item));
    }
  return {{"outcome", text_of(decision, "outcome")},
          {"reasons", std::move(reasons)},
          {"undetermined", std::move(undetermined)}};
}

double rate(int64_t n, int64_t of) { return of == 0 ? 0.0 : static_cast<double>(n) / of; }

}  // namespace

Impact::Impact(std::shared_ptr<const engine::CompiledPolicy> candidate,
               size_t examples_per_change)
    : candidate_(std::move(candidate)), examples_per_change_(examples_per_change) {
  for (const auto& slot : candidate_->schema.slots()) unseen_facts_.insert(slot.name);
  for (const auto& r : candidate_->reasons) reasons_[r.code];
}

void Impact::add(const store::StoredRecord& record, const engine::CompiledPolicy& recorded,
                 const json::object& before, const json::object& after) {
  ++decisions_;
  for (auto it = unseen_facts_.begin(); it != unseen_facts_.end();)
    it = recorded.schema.find(*it) ||
                 record.record.facts.find("\"" + *it + "\":") != std::string::npos
             ? unseen_facts_.erase(it)
             : std::next(it);

  std::string from = text_of(before, "outcome"), to = text_of(after, "outcome");
  ++matrix_[from][to];
  auto fired_before = codes(before, "reasons"), fired_after = codes(after, "reasons");
  auto unknown_before = codes(before, "undetermined"), unknown_after = codes(after, "undetermined");
  for (const auto& c : fired_before) ++reasons_[c].fired_before;
  for (const auto& c : fired_after) ++reasons_[c].fired_after;
  for (const auto& c : unknown_before) ++reasons_[c].undetermined_before;
  for (const auto& r : array_of(after, "undetermined")) {
    if (!r.is_object()) continue;
    auto& counts = reasons_[text_of(r.get_object(), "code")];
    ++counts.undetermined_after;
    for (const auto& fact : array_of(r.get_object(), "missing"))
      if (fact.is_string()) ++counts.missing_after[std::string(fact.get_string())];
  }
  if (from == to && fired_before == fired_after && unknown_before == unknown_after) return;

  ++changed_;
  Change& change = changes_[{from, to}];
  ++change.decisions;
  // What caused it: every reason whose state differs between the two decisions.
  auto cause = [&](const std::set<std::string>& now, const std::set<std::string>& then,
                   const char* how) {
    for (const auto& c : now)
      if (!then.count(c)) ++change.causes[{c, how}];
  };
  cause(fired_after, fired_before, "now fires");
  cause(fired_before, fired_after, "no longer fires");
  cause(unknown_after, unknown_before, "now undetermined");
  cause(unknown_before, unknown_after, "no longer undetermined");
  // A reason that fires in both but with another outcome (the candidate changed it).
  auto was = reason_outcomes(before), now = reason_outcomes(after);
  for (const auto& [code, outcome] : now)
    if (auto it = was.find(code); it != was.end() && it->second != outcome)
      ++change.causes[{code, "outcome " + it->second + " -> " + outcome}];
  if (change.examples.size() < examples_per_change_)
    change.examples.push_back({{"decision_id", record.record.decision_id},
                               {"time", record.record.time},
                               {"before", summary(before)},
                               {"after", summary(after)}});
}

json::object Impact::json(const std::string& from, const std::string& to) const {
  json::object outcomes;
  for (const char* o : kOutcomes) {
    int64_t before = 0, after = 0;
    if (auto it = matrix_.find(o); it != matrix_.end())
      for (const auto& [_, n] : it->second) before += n;
    for (const auto& [_, row] : matrix_)
      if (auto it = row.find(o); it != row.end()) after += it->second;
    outcomes[o] = json::object{{"before", before},
                               {"after", after},
                               {"before_rate", rate(before, decisions_)},
                               {"after_rate", rate(after, decisions_)}};
  }
  json::object matrix;
  for (const char* a : kOutcomes) {
    json::object row;
    for (const char* b : kOutcomes) {
      int64_t n = 0;
      if (auto it = matrix_.find(a); it != matrix_.end())
        if (auto jt = it->second.find(b); jt != it->second.end()) n = jt->second;
      row[b] = n;
    }
    matrix[a] = std::move(row);
  }
  json::array changes;
  for (const auto& [key, change] : changes_) {
    json::array causes;
    for (const auto& [cause, n] : change.causes)
      causes.push_back({{"code", cause.first}, {"change", cause.second}, {"decisions", n}});
    json::array examples(change.examples.begin(), change.examples.end());
    changes.push_back({{"from", key.first},
                       {"to", key.second},
                       {"decisions", change.decisions},
                       {"causes", std::move(causes)},
                       {"examples", std::move(examples)}});
  }
  json::array reasons;
  for (const auto& [code, c] : reasons_) {
    json::object missing;
    for (const auto& [fact, n] : c.missing_after) missing[fact] = n;
    reasons.push_back({{"code", code},
                       {"in_candidate", candidate_->find_reason(code) >= 0},
                       {"fired_before", c.fired_before},
                       {"fired_after", c.fired_after},
                       {"undetermined_before", c.undetermined_before},
                       {"undetermined_after", c.undetermined_after},
                       {"missing_after", std::move(missing)}});
  }
  json::array never_recorded, warnings;
  for (const auto& f : unseen_facts_) {
    never_recorded.push_back(json::string(f));
    if (decisions_ > 0)
      warnings.push_back(json::string(
          "the candidate reads " + f + ", which no decision in this range recorded: the rules "
          "on it cannot be judged on this history (undetermined, or false if optional)"));
  }
  return {{"candidate",
           {{"name", candidate_->name},
            {"version", candidate_->version},
            {"sha256", candidate_->sha256}}},
          {"range", {{"from", from}, {"to", to}}},
          {"decisions", decisions_},
          {"changed", changed_},
          {"not_replayed", not_replayed_},
          {"outcomes", std::move(outcomes)},
          {"matrix", std::move(matrix)},
          {"changes", std::move(changes)},
          {"reasons", std::move(reasons)},
          {"never_recorded", std::move(never_recorded)},
          {"warnings", std::move(warnings)}};
}

}  // namespace kyc::service
