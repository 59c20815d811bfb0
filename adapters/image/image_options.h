// Every limit and model constant of the image adapter in one place. Decision thresholds are
// not here: they are `let` constants in the policy, which compliance can change. What is here
// fixes how the measures are taken, so that a policy threshold means the same on every photo.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kyc::image {

struct ImageOptions {
  uint64_t max_pixels = 40'000'000;  // refused from the header, before any decode
  // A TIFF's tiles may pad a small image up to this many pixels each; past it, a tile larger
  // than its image is not decoded. The decoder allocates a tile whole: 152 bytes of TIFF that
  // declared 16384 x 16384 tiles for a 64 x 64 image made `kyc analyze` peak at 1.1 GB.
  uint64_t max_tile_pixels = 1 << 20;
  // A file over this many bytes is sniffed (format, size, hash) but not decoded: the policy
  // refuses it for its size anyway, and decoding a large JPEG costs seconds (the service sets
  // this from the policy's own size rule).
  uint64_t max_analysed_bytes = UINT64_MAX;
  // Every measure is taken on a working copy of this long side, so thresholds do not depend on
  // the camera's resolution.
  int working_long_side = 1024;
  // JPEGs are decoded at 1/2, 1/4 or 1/8 size (libjpeg's DCT scaling) as long as the decoded
  // long side stays at least this: enough for the document crop the text adapter reads.
  int decode_min_long_side = 2000;
  int max_jpeg_scans = 500;  // a progressive JPEG with more scans is a scan bomb (photo_decoder.h)
  size_t max_png_chunk_bytes = 8'000'000;  // a PNG text or ICC chunk inflated past it is refused
  int crop_max_width = 1600;     // the perspective-corrected document for the text adapter
  int measure_crop_width = 640;  // the rectified document that sharpness and light are read on

  // Document detection on the working copy.
  double min_document_share = 0.15;  // a quadrilateral smaller than this share is not the document
  double border_margin = 0.01;       // a corner this close to the frame edge (share of side) is cut
  // A frame edge stands in for a side only where the real sides next to it run to the frame:
  // their detected segments end at most this share of the long side short of it (a faint
  // stretch near the frame often breaks the segment; the side's edge support judges the rest).
  double side_reach_gap = 0.06;
  double min_edge_support = 0.55;  // share of the outline that must lie on image edges
  // An outline covering more than this share of the frame is the frame itself (a border of
  // the photo, a vignette), not a document in it.
  double max_document_share = 0.98;
  // Straight sides from the probabilistic Hough transform on the 1024 px copy (line_segments.h):
  // votes a line needs, and the gap (px) a side may have where its edge fades and still be one
  // segment. An edge pixel votes only for lines within hough_vote_tolerance degrees of its own
  // edge: as far as a pixel can support a side (side_angle_tolerance around the nearest of the
  // four directions, each 22.5 degrees from the next bin's edge), no further.
  int hough_votes = 50;
  int hough_max_gap = 8;
  float hough_vote_tolerance = 52.5f;
  // When a contour already gives a whole outline of a document's shape whose every side lies
  // on edges along at least unbroken_side_support of its length (and no cut-off outline
  // competes), its border is unbroken: lines are searched only outside it, past an inset of
  // unbroken_inset of the way to its centre that keeps its own border in. Over 1: everywhere.
  double unbroken_side_support = 0.95;
  double unbroken_inset = 0.05;
  // The same for each side alone: three strong sides must not carry a fourth drawn through
  // nothing (a side run on past the document's corner, a shadow's line, a pen on the table).
  double min_side_support = 0.3;
  // An edge pixel supports a side when its direction is within this many degrees of one of
  // four directions (0, 45, 90, 135) and the side is nearest that one: so within ~30-50
  // degrees of the side, which keeps print that a side crosses from passing for its border.
  float side_angle_tolerance = 30.f;
  // A cut-off outline (a frame edge standing in for a side) is taken over a whole one only when
  // its score (area x edge support) is this many times higher: the frame edge is a guess, a
  // seen side is evidence.
  double whole_outline_preference = 1.5;
  // A cut-off outline with a side along an edge of the light (light_edge.h) is a shadow's or
  // a lamp's boundary run out of the frame, not a document crossing it, and is not offered.
  // Each side is read at points light_edge_offset_share of the frame's long side to either
  // side of it, or light_edge_offset_spreads times the frame's edge spread (focus.h) when
  // that is further. A point tells when its sides differ in luma (the darker under
  // light_edge_max_luma_ratio of the brighter, which reaches light_edge_min_luma) and both
  // stand light_edge_min_colour from neutral in chromaticity; it is the light's when their
  // chromaticities lie within light_edge_chroma_tolerance (the paper colour square of the
  // light field, paper_chroma_bin). The side is the light's when light_edge_share of at least
  // light_edge_min_points telling points are.
  double light_edge_offset_share = 0.008;
  double light_edge_offset_spreads = 1.5;
  double light_edge_min_luma = 40;
  double light_edge_max_luma_ratio = 0.85;
  double light_edge_min_colour = 0.03;
  double light_edge_chroma_tolerance = 0.03;
  double light_edge_share = 0.7;
  int light_edge_min_points = 20;
  // A faint (fixed low threshold) edge map with more than this share of the frame near an edge
  // is grain or a mottled table, not outlines: it is not searched.
  double max_edge_share = 0.4;
  // On the reduced copies (1/2, 1/4) searched for a blurred document, such a faint map is
  // searched for whole outlines only, whose edge support must beat that share by this much: a
  // line drawn anywhere lies on an edge with a probability of that share, a border all along.
  double coarse_support_over_chance = 0.4;
  // A whole outline found on a reduced copy replaces a cut-off one found larger when it covers
  // at least this share of its area: blur or a shadow's edge widens the border into a rim the
  // larger scale runs on to the frame edge (same document, a few % more area); a side through
  // the print of a document that really crosses the frame edge covers about half of it.
  double same_document_fill = 0.9;
  // A hard shadow's edge can pass for a side of the document, and inside the shadow the real
  // border is too faint to be found: when no whole outline is found, it is looked for again on
  // the luma divided by the light, estimated at 1/illumination_reduction of the working size
  // as the brightest level within illumination_window px there (8 x 5 = 40 working px: wider
  // than print strokes and lines of text, far narrower than a shadow).
  int illumination_reduction = 8;
  int illumination_window = 5;
  // The frame holds a shadow when its darkest shadow_share gets under shadow_light_ratio of
  // its median light: only then is the flattened copy searched. Where the light is even,
  // flattening only sharpens the print (the MRZ band's edge passed for the side of a document
  // cut off by the frame) and a dark scene's grain; a shadow that hides a document's side
  // takes at least half its light. (The estimate also follows a dark object or table beside
  // a pale card; the outline checks judge what is found there.)
  double shadow_share = 0.05, shadow_light_ratio = 0.5;
  // Canny thresholds follow the median luma, within these bounds: in a dark photo stretched to
  // the full range the median is low and sensor grain would pass for edges; in a bright one it
  // is high and a pale card's border on a pale table would be lost.
  struct Range {
    double min, max;
  };
  Range canny_low = {25, 50}, canny_high = {75, 150};
  Range canny_faint = {15, 40};  // low and high of the last try for a faint border
  // A whole outline must look like a document held up to a phone: opposite sides at most this
  // many times as long as each other (a hand-held tilt stays well under it), and a mean aspect
  // within this band (ID-1 1.59, passport page and A4 1.42, each foreshortened by a tilt; the
  // top is higher for a shaky hand: motion blur smears the outline longer along the motion).
  double max_opposite_side_ratio = 1.6;
  Range document_aspect = {1.2, 2.4};
  // A document's corner ends both its sides. Where a side's edge runs on past a corner, the
  // quadrilateral is part of something larger: in a card that crosses the frame edge, the part
  // above its MRZ band or beside its portrait has edges all round and a card's shape. Judged on
  // a stretch of corner_extension_share of the side beyond each corner (starting
  // corner_extension_gap px out, clear of the other side's edge): on edges along it for at
  // least max_extension_support of its length, the side runs on.
  double corner_extension_share = 0.15;
  float corner_extension_gap = 4.f;
  double max_extension_support = 0.6;
  double min_side_share = 0.15;  // a straight side is at least this share of the frame's short side
  int max_side_candidates = 10;  // longest lines kept per direction for the quadrilateral search
  // A line within this angle (radians, ~3 degrees) and distance (px) of a longer kept one is
  // the same line, not another candidate side.
  double same_line_angle = 0.05, same_line_distance = 8;
  // When luma shows no document, the outline is looked for on the frame's main colour axis
  // (a* b*), but only if that axis spans at least this many Lab units between its 0.5th and
  // 99.5th percentiles. On the synthetic photos blank walls span 2-13 (tint and grain), blurred
  // cards on tables of another hue 15-60, other scenes 15-150.
  double min_colour_spread = 14;
  // The frame itself is the document (a scan, a tight crop) when nothing bigger than this share
  // was found and its aspect ratio is a document's.
  double frame_document_max_found = 0.3;
  // ...or when what was found is a cut-off outline covering at least this share of it: the
  // document's own border along the frame edge (a document that crosses the frame edge
  // leaves part of the frame beside it).
  double frame_document_min_fill = 0.85;
  double frame_document_min_aspect = 1.38, frame_document_max_aspect = 1.65;

  // `kyc analyze --debug`: keep a picture of what each measure looked at (the light field at
  // full size, the crushed mask, the spectrum). Off on the service's path, where nobody looks.
  bool debug_pictures = false;

  // Focus (focus.h): an edge is a peak of the luma slope whose step (the luma range within
  // focus_step_radius px, on the frame stretched to 0..255) is at least focus_min_step: a third
  // of the range, which print, a card's border or an MRZ band reach even blurred, and grain
  // or a faint texture do not. The spread is the focus_sharpest_share quantile of the widths
  // in the most spread of four edge directions that holds at least focus_min_edges edges. The
  // radius bounds the widest spread that can be measured (about 2 radii).
  int focus_step_radius = 12;
  float focus_min_step = 80;
  double focus_sharpest_share = 0.1;
  int focus_min_edges = 30;

  // Lighting (lighting.h). A channel at or above clip_level is clipped white (JPEG rounds a
  // sensor's 255 down by a few levels), at or below crush_level crushed black.
  int clip_level = 250, crush_level = 6;
  // The document's ink and paper levels are its ink_share and 1 - ink_share luma percentiles:
  // few enough pixels that thin print still counts as ink.
  double ink_share = 0.005;
  // Glare (glare.h): a clipped patch of at least glare_min_patch_share of the document, with
  // at most glare_max_print_share of its area in holes (print left inside), where the paper
  // around it (the glare_paper_share luma percentile half to one patch radius away) is at
  // least glare_paper_margin levels below clipping.
  double glare_min_patch_share = 0.002, glare_max_print_share = 0.03;
  double glare_paper_share = 0.75;
  int glare_paper_margin = 12;
  // Shadow (light_field.h): the light is the brightest level within a window of
  // light_field_window_share of the document's long side, on a copy light_field_reduction
  // times smaller; the shadow compares its shadow_dim_share percentile with its
  // 1 - shadow_dim_share one.
  int light_field_reduction = 8;
  double light_field_window_share = 0.06;
  double shadow_dim_share = 0.05;
  // Each colour of the document is a paper of its own: pixels whose chromaticity (each
  // channel's share of the sum) falls in one square of paper_chroma_bin on a side (neutral at
  // a square's centre), holding at least paper_min_bin_share of the document's paper, lit at
  // that colour's paper_lit_share luma percentile. A shadow keeps a colour and dims it;
  // another colour is another paper, not a shadow on this one.
  double paper_chroma_bin = 0.03;
  double paper_min_bin_share = 0.01;
  double paper_lit_share = 0.9;
  // Paper is at least this share of its own colour's lit level: darker is ink (a shadow
  // leaves a colour a fifth of its light or more). Under paper_min_level of the document's
  // bright level (its 75th luma percentile) chromaticity is noise: no colour is read there.
  double paper_min_light = 0.2;
  double paper_min_level = 0.08;
  // A window of the light field with less than this share of paper is not read.
  double paper_min_share = 0.25;

  // Recapture cues, combined into `image.screen` and `image.copy` (0..1). Weights add evidence:
  // no single weak cue (a missing EXIF, a common screen size) reaches a policy threshold alone.
  // Moire is looked for in a patch at decoded resolution, centred on the document when one is
  // found (the grid is where the screen shows it; the frame's centre may be the table).
  int spectrum_patch = 512;
  // The spectrum band searched for peaks, in shares of the Nyquist frequency: content and print
  // patterns are low; a screen grid of about 2 camera px per screen px lands just under
  // Nyquist. The cells at and beside the JPEG block harmonics (n/8 apart, up to
  // codec_guard_cells away) are skipped.
  double spectrum_band_low = 0.4, spectrum_band_high = 0.99;
  int codec_guard_cells = 1;
  // A peak's power is summed over moire_peak_cells x moire_peak_cells (a tilted grid spreads
  // it), and counts only when it is moire_isolation times the strongest summed power on its
  // ray towards the centre between moire_inward_from and moire_inward_to of its radius (an
  // edge's streak grows towards the centre); spectral_peak.h. The moire_peak_candidates
  // strongest cells are tried.
  int moire_peak_cells = 5;
  double moire_isolation = 4.0;
  double moire_inward_from = 0.6, moire_inward_to = 0.85;
  int moire_inward_samples = 6;
  int moire_peak_candidates = 400;
  // A display's grid is a lattice: the peak counts only with an isolated partner whose
  // direction is at least moire_lattice_min_angle_deg from its own (a square grid's are 90
  // degrees apart, a delta layout's 60) and whose radius is within moire_lattice_pitch_ratio
  // of its own (one pitch, foreshortened by a screen tilted up to about 45 degrees).
  double moire_lattice_min_angle_deg = 30;
  double moire_lattice_pitch_ratio = 1.4;
  // The isolated peak's amplitude against the band's median (spectral_peak.h): other photos
  // stay under the low ratio, a screen's pixel grid goes past the high one. Measured on the
  // tuning families (seeds 4101 and 4102, 840 photos): photos of no screen at most 26, photos
  // of a screen from 52, in the patch on the document.
  double moire_ratio_low = 30.0, moire_ratio_high = 50.0;
  double screen_weight_moire = 0.8;
  double screen_weight_bars = 0.4;
  // A flat bar of a level clipping cannot explain (not white) is drawn by a display or an
  // editor: nearly a verdict alone, with the missing camera EXIF one.
  double screen_weight_drawn_bars = 0.6;
  double screen_weight_size = 0.35;
  double screen_weight_no_exif = 0.15;
  // Bars: rows with at least this share of pixels within 1 level of the row's median, searched
  // in this share of the height from each edge; a bar this share of the height is a full cue.
  double ui_bar_flat_share = 0.85, ui_bar_search_share = 0.2, ui_bar_full_share = 0.02;
  // A bar ends in a step when under this share of the row past it keeps the bar's level.
  double ui_bar_step_share = 0.3;
  // A bar at least this level is white that clipping explains: a strongly compressed JPEG
  // rounds a clipped 255 down by up to a dozen levels.
  int ui_bar_white_level = 240;
  // Copy cues rise from 0 to 1 between these: colour spread of the document white balanced on
  // its paper (high -> low), luma spread p2..p98 (high -> low), grain in flat areas (mean
  // absolute residue of a 3x3 median filter).
  double copy_colour_low = 4, copy_colour_high = 10;
  double copy_contrast_low = 140, copy_contrast_high = 200;
  double copy_grain_full = 6;
  double copy_weight_grey = 0.6;
  double copy_weight_flat = 0.25;
  double copy_weight_texture = 0.15;
};

}  // namespace kyc::image
