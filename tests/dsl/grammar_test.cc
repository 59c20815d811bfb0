#include <gtest/gtest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/grammar.h"

namespace g = kyc::dsl::grammar;

// pegtl::analyze finds rules that could loop forever without consuming input.
TEST(Grammar, PolicyGrammarHasNoInfiniteLoops) {
  EXPECT_EQ(tao::pegtl::analyze<g::policy_chunk>(1), 0u);
}

TEST(Grammar, TestGrammarHasNoInfiniteLoops) {
  EXPECT_EQ(tao::pegtl::analyze<g::test_chunk>(1), 0u);
}
