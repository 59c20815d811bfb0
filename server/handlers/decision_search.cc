// GET /v1/verifications: the auditor's search over recorded decisions, newest first, one page
// at a time. Each item holds the columns a list shows, never the facts: a decision's page
// (GET /v1/verifications/{id}) has those. With format=csv, the whole search at once as the
// rows of `kyc audit export --format csv` (facts and decision included), for a spreadsheet.
#include <algorithm>
#include <cstdint>

#include <boost/json.hpp>

#include "server/handlers/handlers.h"
#include "server/handlers/query_params.h"
#include "service/audit_csv.h"

namespace kyc::server {

namespace {

constexpr long long kDefaultPage = 50;
constexpr long long kMaxPage = 500;

bool is_outcome(const std::string& s) {
  return s == "approve" || s == "resubmit" || s == "review" || s == "reject";
}

// Reason codes are upper-case words: anything else cannot match and is most likely a mistake.
bool is_code(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The query read from the parameters, or the 400 answer that says which one is wrong.
OrAnswer<store::DecisionQuery> read_query(const RequestTarget& uri) {
  if (auto known = only_parameters(uri, {"decision_id", "account_id", "outcome", "reason",
                                         "policy_version", "from", "to", "after", "limit",
                                         "format"});
      !known)
    return known.error();
  store::DecisionQuery q;
  auto text = [&](const char* name) { return uri.param(name).value_or(""); };
  q.decision_id = text("decision_id");
  q.account_id = text("account_id");
  q.outcome = text("outcome");
  q.reason = text("reason");
  q.policy_version = text("policy_version");
  if (!q.outcome.empty() && !is_outcome(q.outcome))
    return bad_parameter("outcome must be approve, resubmit, review or reject");
  if (!is_code(q.reason)) return bad_parameter("reason must be a reason code such as DOC_EXPIRED");
  auto range = time_range(uri);
  if (!range) return range.error();
  q.from = range->from;
  q.to = range->to;
  if (auto after = text("after"); !after.empty()) {
    auto seq = whole_number(after, 1, INT64_MAX);
    if (!seq) return bad_parameter("after must be the `next` of a previous page");
    q.before_seq = *seq;
  }
  auto limit = whole_number(uri.param("limit").value_or(std::to_string(kDefaultPage)), 1, kMaxPage);
  if (!limit)
    return bad_parameter("limit must be a whole number from 1 to " + std::to_string(kMaxPage));
  q.limit = static_cast<size_t>(*limit);
  return q;
}

// Every decision the query finds (newest first, from its `after` on), as CSV: pages of the
// index, then each record for its facts and decision, sent as it is read (BodyStream: about
// 4 MiB held at a time whatever the size; a 217 MB export built whole peaked at 678 MB). More
// than `max_rows` is refused rather than cut short: a partial export that looks whole would
// mislead an audit. The index alone is counted first: reading 100,000 records only to refuse
// them took 3 s. A record that cannot be read once the head is out cuts the body short, which
// the client sees as an incomplete transfer.
HttpResponse export_csv(store::DecisionLog& log, store::DecisionQuery query, size_t max_rows,
                        const BulkStop& stop) {
  query.limit = kMaxPage;
  std::vector<std::string> ids;
  for (;;) {
    if (stop()) return stop.answer();
    auto page = log.search(query);
    if (!page) return store_problem(page.error());
    for (const auto& row : *page) ids.push_back(row.decision_id);
    if (ids.size() > max_rows)
      return problem(413, "export-too-large", "The search holds too many decisions to export",
                     "more than " + std::to_string(max_rows) +
                         " decisions match; narrow the time range, or use `kyc audit export` "
                         "on the server");
    if (page->size() < query.limit) break;
    query.before_seq = page->back().seq;
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"decisions.csv\"");
  r.stream = std::make_shared<BodyStream>([&log, &stop, ids = std::move(ids)](BodyStream& out) {
    constexpr size_t kPiece = 1 << 20;
    std::string piece = service::kAuditCsvHeader;
    for (const auto& id : ids) {
      if (stop()) return false;
      auto stored = log.get(id);
      if (!stored) return false;
      if (*stored) piece += service::audit_csv_row((*stored)->record);
      if (piece.size() >= kPiece && !out.push(std::exchange(piece, {}), std::cref(stop)))
        return false;
    }
    return piece.empty() || out.push(std::move(piece), std::cref(stop));
  });
  return r;
}

boost::json::array words(const std::vector<std::string>& list) {
  boost::json::array out;
  for (const auto& w : list) out.emplace_back(w);
  return out;
}

HttpResponse page_of(store::DecisionLog& log, const store::DecisionQuery& query) {
  // One row more than the page: whether there is a next page, without a second query.
  store::DecisionQuery probe = query;
  probe.limit += 1;
  auto rows = log.search(probe);
  if (!rows) return store_problem(rows.error());
  bool more = rows->size() > query.limit;
  if (more) rows->pop_back();
  boost::json::array items;
  for (const auto& row : *rows)
    items.push_back({{"decision_id", row.decision_id},
                     {"time", row.time},
                     {"account_id", row.account_id},
                     {"stage", row.stage},
                     {"outcome", row.outcome},
                     {"reasons", words(row.reasons)},
                     {"undetermined", words(row.undetermined)},
                     {"policy_version", row.policy_version},
                     {"policy_sha256", row.policy_sha256}});
  boost::json::object out{{"items", std::move(items)}};
  // The cursor is the last row's sequence number, as text: callers pass it back unread.
  out["next"] =
      more ? boost::json::value(std::to_string(rows->back().seq)) : boost::json::value(nullptr);
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace

void search_verifications(const BulkRead& bulk, const Limits& limits,
                          std::shared_ptr<Exchange> ex) {
  if (!bulk.log) return ex->respond(no_log_problem());
  auto query = read_query(ex->request.uri);
  if (!query) return ex->respond(query.error());
  std::string format = ex->request.uri.param("format").value_or("json");
  if (format == "csv")
    return bulk.submit(ex, [query = *query, rows = limits.export_rows](store::DecisionLog& log,
                                                                       const BulkStop& stop) {
      return export_csv(log, query, rows, stop);
    });
  if (format != "json") return ex->respond(bad_parameter("format must be json or csv"));
  ex->respond(page_of(*bulk.log, *query));
}

}  // namespace kyc::server
