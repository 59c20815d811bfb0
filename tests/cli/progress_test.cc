// The progress line's text: the rate once it means something, the ETA when the total or the
// share done is known, and never one without the other's basis.
#include "cli/bulk/progress.h"

#include <gtest/gtest.h>

using kyc::cli::progress_text;

TEST(ProgressText, CountOnlyAtTheStart) {
  EXPECT_EQ(progress_text("imported", "rows", {0, std::nullopt, 0.0, 0.0}), "imported 0 rows (0%)");
  EXPECT_EQ(progress_text("replayed", "records", {0, 500, std::nullopt, 0.0}),
            "replayed 0/500 records");
}

TEST(ProgressText, RateWithoutATotalHasNoEta) {
  EXPECT_EQ(progress_text("checked", "records", {5000, std::nullopt, std::nullopt, 2.0}),
            "checked 5000 records, 2500 records/s");
}

TEST(ProgressText, EtaFromTheTotal) {
  EXPECT_EQ(progress_text("replayed", "records", {20000, 50000, std::nullopt, 4.0}),
            "replayed 20000/50000 records, 5000 records/s, ETA 6 s");
}

TEST(ProgressText, EtaFromTheShareOfTheFileRead) {
  EXPECT_EQ(progress_text("imported", "rows", {1000, std::nullopt, 0.25, 30.0}),
            "imported 1000 rows (25%), 33 rows/s, ETA 1 min 30 s");
  EXPECT_EQ(progress_text("imported", "rows", {1000, std::nullopt, 0.01, 60.0}),
            "imported 1000 rows (1%), 16 rows/s, ETA 1 h 39 min");
}
