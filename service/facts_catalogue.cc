#include "service/facts_catalogue.h"

#include <array>

namespace kyc::service {

namespace {

constexpr std::string_view kImage = "image adapter";
constexpr std::string_view kMrz = "text adapter: MRZ";
constexpr std::string_view kText = "text adapter: MRZ or AAMVA barcode";
constexpr std::string_view kBarcode = "text adapter: AAMVA barcode";
constexpr std::string_view kUpload = "upload metadata";
constexpr std::string_view kStore = "account store";
constexpr std::string_view kService = "service";
constexpr std::string_view kAdmin = "admin caller only";

constexpr bool kEachSide = true;

// Keep each meaning in step with the code that sets the fact: image_analysis.cc add_facts,
// document_text.cc, photo_facts.cc, server/handlers/verifications.cc, service/decisions.cc.
constexpr std::array kCatalogue = std::to_array<CataloguedFact>({
    // --- the file ---
    {"file.format", "string", kImage,
     "format sniffed from the magic bytes, never the file name: jpeg png gif webp bmp tiff pdf "
     "heic unknown. With a back photo that is not JPEG or PNG, the back's format",
     kEachSide},
    {"file.bytes", "int", kImage, "size of the file in bytes; with a back photo, the larger one",
     kEachSide},
    {"file.decodable", "bool", kImage,
     "the file decoded as an image; absent when it is over the size the service analyses. "
     "Not tried (false) on a header without a size, or a TIFF whose tiles are larger than "
     "its image and than 1 MP (`ImageOptions::max_tile_pixels`): a decoder allocates a tile "
     "whole. False for a PNG with a chunk longer than the bytes left in the file",
     kEachSide},
    {"file.sha256", "string", kImage,
     "SHA-256 of the file, hex: the audit log keeps this, never the image", kEachSide},
    {"image.width", "int", kImage, "width in pixels from the file header; absent when unknown",
     kEachSide},
    {"image.height", "int", kImage, "height in pixels from the file header; absent when unknown",
     kEachSide},
    {"image.over_pixel_limit", "bool", kImage,
     "the header announces more pixels than the service decodes", kEachSide},
    // --- the image, measured on the document when one was found (absent if not decoded) ---
    {"document.detected", "bool", kImage, "a document outline was found in the photo", kEachSide},
    {"document.cut_off", "bool", kImage, "the document touches or crosses the frame edge",
     kEachSide},
    {"document.fill", "number", kImage, "share of the photo the document fills, 0..1", kEachSide},
    {"image.blur", "number", kImage,
     "sharpness: variance of the Laplacian in the least sharp direction; low means blurry",
     kEachSide},
    {"image.edge_spread", "number", kImage,
     "px over which the frame's sharpest strong edges rise, in their most spread direction "
     "(1024 px copy): about 2-4 in focus; absent without strong edges",
     kEachSide},
    {"image.brightness", "number", kImage, "mean luma, 0..255", kEachSide},
    {"image.glare", "number", kImage, "share of the document under specular highlights, 0..1",
     kEachSide},
    {"image.shadow", "number", kImage, "unevenness of the light across the document, 0..1",
     kEachSide},
    {"image.clipped", "number", kImage,
     "share of the document clipped in any channel (a channel at its ceiling), 0..1", kEachSide},
    {"image.black_level", "number", kImage, "the document's ink: its 0.5th luma percentile",
     kEachSide},
    {"image.white_level", "number", kImage, "the document's paper: its 99.5th luma percentile",
     kEachSide},
    {"image.grey", "bool", kImage, "the document shows no colour (a greyscale copy or print)",
     kEachSide},
    {"image.screen", "number", kImage, "likelihood of a screenshot or a photo of a screen, 0..1",
     kEachSide},
    {"image.moire", "number", kImage,
     "strength of the spectral peaks a screen's pixel grid leaves, in two directions of one "
     "pitch (a pattern printed in one direction is not one), 0..1",
     kEachSide},
    {"image.ui_bars", "number", kImage, "flat full-width bars at the top or bottom, 0..1",
     kEachSide},
    {"image.screen_size", "bool", kImage, "the pixel size is exactly a common screen resolution",
     kEachSide},
    {"image.copy", "number", kImage, "likelihood of a photocopy or a printout, 0..1", kEachSide},
    {"image.saturation", "number", kImage,
     "colour spread of the document, white balanced on its paper (0: one tint)", kEachSide},
    {"image.contrast", "number", kImage, "luma spread of the document, 2nd to 98th percentile",
     kEachSide},
    {"image.texture", "number", kImage, "fine grain in the document's flat areas, 0..1", kEachSide},
    {"exif.camera", "bool", kImage,
     "the EXIF data names a camera make or model; EXIF is read from JPEG, PNG, TIFF, WebP and "
     "BMP files only",
     kEachSide},
    {"exif.make", "string", kImage, "EXIF camera make; absent when not written", kEachSide},
    {"exif.model", "string", kImage, "EXIF camera model; absent when not written", kEachSide},
    {"exif.software", "string", kImage, "EXIF software; absent when not written", kEachSide},
    // --- the document's text ---
    {"mrz.present", "bool", kMrz,
     "a machine-readable zone was found; absent when OCR is unavailable or a licence's barcode "
     "was read"},
    {"mrz.valid", "bool", kMrz,
     "every ICAO 9303 check digit holds (after OCR-confusion repair); absent without a zone"},
    {"mrz.checks_failed", "int", kMrz, "check digits that fail; absent when no layout was read"},
    {"barcode.present", "bool", kBarcode,
     "a PDF417 symbol was decoded on the back photo; absent without a back"},
    {"ocr.confidence", "number", kText,
     "mean OCR confidence over the zone, 0..1; 1 for a barcode (error-corrected)"},
    {"ocr.name_visible", "bool", kText, "the holder's name was read"},
    {"ocr.number_visible", "bool", kText,
     "the document number was read (in the MRZ: with its check digit holding)"},
    {"document.type", "string", kText,
     "passport, id_card or visa from the MRZ document code; drivers_license from the barcode. "
     "Absent when the code is a misread"},
    {"document.name", "string", kText, "the holder's full name, surname first"},
    {"document.number", "string", kText,
     "the document number; in the MRZ only with its check digit holding"},
    {"document.expiry", "date", kText, "expiry date; in the MRZ only with its check digit holding"},
    {"document.birth_date", "date", kText,
     "the holder's birth date; in the MRZ only with its check digit holding"},
    {"document.issuer", "string", kText,
     "issuing state, ICAO 3-letter code: the MRZ's issuing state (Germany's D read as DEU), "
     "or USA or CAN from a licence's jurisdiction"},
    {"document.nationality", "string", kMrz,
     "the holder's nationality, ICAO 3-letter code (D read as DEU); absent for licences, "
     "which name none"},
    {"document.sex", "string", kText,
     "F, M or X (unspecified: < in the MRZ, 9 on a licence); absent where the layout has no "
     "such field"},
    {"document.type_declared", "string", kUpload,
     "the document type the user selected; absent when the client does not send it"},
    // --- the account store, for the decision's account ---
    {"account.document_accounts", "int", kStore,
     "OTHER accounts already verified with this document (by the number's keyed hash); "
     "absent without an account or a document number"},
    {"account.failed_attempts", "int", kStore, "earlier failed submissions of this account"},
    {"primary.name", "string", kStore, "full name from the primary KYC step"},
    {"primary.country", "string", kStore, "country from the primary KYC step"},
    {"primary.document_type", "string", kStore, "document type from the primary KYC step"},
    {"primary.birth_date", "date", kStore, "birth date from the primary KYC step"},
    {"primary.document_number", "string", kAdmin,
     "never filled by the service, which keeps only the number's keyed hash (see "
     "primary.document_matches); an admin may send it for tests and corrections"},
    // --- the service ---
    {"primary.document_matches", "bool", kService,
     "the document number's keyed hash equals the primary step's; absent without both"},
    {"today", "date", kService, "the service clock (UTC), recorded for replay"},
});

}  // namespace

std::span<const CataloguedFact> facts_catalogue() { return kCatalogue; }

const CataloguedFact* find_catalogued_fact(std::string_view name) {
  constexpr std::string_view kBack = "back.";
  const bool back = name.starts_with(kBack);
  if (back) name.remove_prefix(kBack.size());
  for (const CataloguedFact& f : kCatalogue)
    if (f.name == name) return back && !f.each_side ? nullptr : &f;
  return nullptr;
}

}  // namespace kyc::service
