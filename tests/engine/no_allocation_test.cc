// The evaluation path must not touch the heap once the evaluator is warm: this binary
// replaces global operator new to count allocations around evaluate(). Its own executable,
// because replacing operator new affects everything linked with it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/facts_reader.h"

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST(NoAllocation, WarmEvaluatorDoesNotAllocate) {
  auto loaded = kyc::dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  std::string text;
  ASSERT_TRUE(kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text));
  kyc::engine::FactFrame frame(loaded.compiled->schema);
  ASSERT_TRUE(kyc::engine::parse_facts(text, frame).ok());
  kyc::engine::Evaluator ev(*loaded.compiled);
  ev.evaluate(frame);  // warm-up: the string arena takes its first chunk
  long before = allocations.load();
  size_t fired = 0;
  for (int i = 0; i < 1000; ++i) fired += ev.evaluate(frame).fired();
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_EQ(fired, 1000u);  // DOC_EXPIRED each time: the loop really evaluated
}
