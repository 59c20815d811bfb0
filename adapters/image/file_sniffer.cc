#include "adapters/image/file_sniffer.h"

#include <array>

namespace kyc::image {

namespace {

// Bounds-checked reads: every header field below is read through these, so a short or
// lying file can only yield "no size", never a read past the end.
struct Bytes {
  std::string_view b;
  bool has(size_t at, size_t n) const { return at <= b.size() && n <= b.size() - at; }
  uint8_t u8(size_t at) const { return static_cast<uint8_t>(b[at]); }
  uint32_t be16(size_t at) const { return uint32_t(u8(at)) << 8 | u8(at + 1); }
  uint32_t le16(size_t at) const { return uint32_t(u8(at + 1)) << 8 | u8(at); }
  uint32_t be32(size_t at) const { return be16(at) << 16 | be16(at + 2); }
  uint32_t le32(size_t at) const { return le16(at + 2) << 16 | le16(at); }
  uint32_t le24(size_t at) const { return uint32_t(u8(at + 2)) << 16 | le16(at); }
  bool starts(size_t at, std::string_view magic) const {
    return has(at, magic.size()) && b.substr(at, magic.size()) == magic;
  }
};

void set_size(FileHeader& h, uint32_t w, uint32_t ht) {
  if (w == 0 || ht == 0) return;  // a zero dimension is a broken header, not an empty image
  h.width = w;
  h.height = ht;
}

// JPEG: walk the marker segments to the first start-of-frame; stop at start-of-scan.
void jpeg_size(const Bytes& f, FileHeader& h) {
  size_t at = 2;
  while (f.has(at, 4)) {
    if (f.u8(at) != 0xFF) return;
    uint8_t marker = f.u8(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;  // markers without a length
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return;  // scan data or end before any frame header
    uint32_t length = f.be16(at + 2);
    if (length < 2) return;
    bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (f.has(at + 4, 5)) set_size(h, f.be16(at + 7), f.be16(at + 5));
      return;
    }
    at += 2 + length;
  }
}

void webp_size(const Bytes& f, FileHeader& h) {
  if (f.starts(12, "VP8 ") && f.has(26, 4) && f.u8(23) == 0x9d && f.u8(24) == 0x01 &&
      f.u8(25) == 0x2a)
    set_size(h, f.le16(26) & 0x3fff, f.le16(28) & 0x3fff);
  else if (f.starts(12, "VP8L") && f.has(21, 4) && f.u8(20) == 0x2f) {
    uint32_t bits = f.le32(21);
    set_size(h, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  } else if (f.starts(12, "VP8X") && f.has(24, 6))
    set_size(h, f.le24(24) + 1, f.le24(27) + 1);
}

void bmp_size(const Bytes& f, FileHeader& h) {
  if (!f.has(14, 4)) return;
  uint32_t dib = f.le32(14);
  if (dib == 12 && f.has(18, 4)) return set_size(h, f.le16(18), f.le16(20));
  if (dib < 40 || !f.has(18, 8)) return;
  auto w = static_cast<int32_t>(f.le32(18));
  auto ht = static_cast<int32_t>(f.le32(22));  // negative: rows stored top-down
  if (w <= 0 || ht == 0 || ht == INT32_MIN) return;
  set_size(h, static_cast<uint32_t>(w), static_cast<uint32_t>(ht < 0 ? -ht : ht));
}

// TIFF: tags 256 (width) and 257 (length) of the first image file directory, and 322 and 323
// (tile width and length) when it is stored in tiles.
void tiff_size(const Bytes& f, FileHeader& h) {
  bool le = f.u8(0) == 'I';
  auto u16 = [&](size_t at) { return le ? f.le16(at) : f.be16(at); };
  auto u32 = [&](size_t at) { return le ? f.le32(at) : f.be32(at); };
  if (!f.has(4, 4)) return;
  size_t ifd = u32(4);
  if (!f.has(ifd, 2)) return;
  uint32_t entries = u16(ifd);
  uint32_t w = 0, ht = 0, tile_w = 0, tile_h = 0;
  for (uint32_t i = 0; i < entries && i < 512; ++i) {
    size_t e = ifd + 2 + size_t{12} * i;
    if (!f.has(e, 12)) return;
    uint32_t tag = u16(e), type = u16(e + 2);
    uint32_t value = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : 0;  // SHORT or LONG
    if (tag == 256) w = value;
    if (tag == 257) ht = value;
    if (tag == 322) tile_w = value;
    if (tag == 323) tile_h = value;
  }
  set_size(h, w, ht);
  h.tile_pixels = uint64_t{tile_w} * tile_h;
}

bool is_heif(const Bytes& f) {
  if (!f.starts(4, "ftyp") || !f.has(8, 4)) return false;
  static constexpr std::array<std::string_view, 8> kBrands = {"heic", "heix", "hevc", "hevx",
                                                              "heim", "heis", "mif1", "msf1"};
  for (std::string_view brand : kBrands)
    if (f.starts(8, brand)) return true;
  return false;
}

}  // namespace

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::Jpeg:
      return "jpeg";
    case FileFormat::Png:
      return "png";
    case FileFormat::Gif:
      return "gif";
    case FileFormat::Webp:
      return "webp";
    case FileFormat::Bmp:
      return "bmp";
    case FileFormat::Tiff:
      return "tiff";
    case FileFormat::Pdf:
      return "pdf";
    case FileFormat::Heic:
      return "heic";
    case FileFormat::Unknown:
      return "unknown";
  }
  return "unknown";
}

FileHeader sniff(std::string_view bytes) {
  Bytes f{bytes};
  FileHeader h;
  if (f.starts(0, "\xFF\xD8\xFF")) {
    h.format = FileFormat::Jpeg;
    jpeg_size(f, h);
  } else if (f.starts(0, "\x89PNG\r\n\x1A\n")) {
    h.format = FileFormat::Png;
    if (f.starts(12, "IHDR") && f.has(16, 8)) set_size(h, f.be32(16), f.be32(20));
  } else if (f.starts(0, "GIF87a") || f.starts(0, "GIF89a")) {
    h.format = FileFormat::Gif;
    if (f.has(6, 4)) set_size(h, f.le16(6), f.le16(8));
  } else if (f.starts(0, "RIFF") && f.starts(8, "WEBP")) {
    h.format = FileFormat::Webp;
    webp_size(f, h);
  } else if (f.starts(0, "BM")) {
    h.format = FileFormat::Bmp;
    bmp_size(f, h);
  } else if (f.starts(0, std::string_view("II*\0", 4)) ||
             f.starts(0, std::string_view("MM\0*", 4))) {
    h.format = FileFormat::Tiff;
    tiff_size(f, h);
  } else if (f.starts(0, "%PDF-")) {
    h.format = FileFormat::Pdf;
  } else if (is_heif(f)) {
    h.format = FileFormat::Heic;
  }
  return h;
}

}  // namespace kyc::image
