#include "service/decision_id.h"

#include <gtest/gtest.h>

#include <set>

TEST(DecisionId, SortableAndUnique) {
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 10000; ++i) {
    std::string id = kyc::service::new_decision_id();
    ASSERT_EQ(id.size(), 26u);
    ASSERT_LT(previous, id);  // strictly increasing, even within one millisecond
    ASSERT_TRUE(seen.insert(id).second);
    previous = id;
  }
}
