// The character cells of one MRZ line. OCR-B is monospaced and its glyphs stand apart, so the
// inked blobs of a line give its pitch, hence how many characters it holds and where each one
// sits, whatever the OCR made of them. The cells let the reader count characters the OCR
// skipped (mostly fillers) and compare a glyph the OCR was unsure of with glyphs of the same
// document it was sure of.
#pragma once

#include <optional>

#include <opencv2/core.hpp>

namespace kyc::text {

struct GlyphLine {
  cv::Mat ink;              // CV_8U, 255 where the line image is inked
  double first_centre = 0;  // x of the centre of the first glyph
  double last_centre = 0;   // x of the centre of the last glyph
  int top = 0;              // rows of the characters
  int bottom = 0;           // one past the last row
  double pitch = 0;         // median distance between neighbouring glyphs
  int estimated_count = 0;  // characters on the line at that pitch
};

// `line_image`: 8-bit greyscale, dark characters on light ground, characters about
// `char_height` pixels tall. nullopt when fewer than two glyphs are found.
std::optional<GlyphLine> measure_glyphs(const cv::Mat& line_image, double char_height);

// Centre of cell `cell` when the line is split into `count` cells from the first glyph to
// the last.
double cell_centre(const GlyphLine& line, int count, int cell);

// The ink of that cell, scaled to a fixed size (CV_32F, in [0,1]), for comparing glyphs.
cv::Mat cell_window(const GlyphLine& line, int count, int cell);

// Normalised correlation of two cell windows, allowing a shift of a pixel or two; in [-1,1].
double glyph_similarity(const cv::Mat& a, const cv::Mat& b);

}  // namespace kyc::text
