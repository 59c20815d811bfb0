#include "engine/outcome.h"

namespace kyc::engine {

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Approve:
      return "approve";
    case Outcome::Resubmit:
      return "resubmit";
    case Outcome::Review:
      return "review";
    case Outcome::Reject:
      return "reject";
  }
  return "?";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  if (s == "approve") return Outcome::Approve;
  if (s == "resubmit") return Outcome::Resubmit;
  if (s == "review") return Outcome::Review;
  if (s == "reject") return Outcome::Reject;
  return std::nullopt;
}

}  // namespace kyc::engine
