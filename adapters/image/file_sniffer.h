// What an uploaded file is, judged by its bytes alone (the file name and the declared content
// type are not trusted), and its pixel size read from the header, so that limits are enforced
// before anything is decoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc::image {

enum class FileFormat { Jpeg, Png, Gif, Webp, Bmp, Tiff, Pdf, Heic, Unknown };

// The value of the fact `file.format`: jpeg png gif webp bmp tiff pdf heic unknown.
std::string_view format_name(FileFormat format);

struct FileHeader {
  FileFormat format = FileFormat::Unknown;
  // From the header, when the format has one and it is intact; a JPEG cut before its frame
  // header, for example, has none.
  std::optional<uint32_t> width, height;
  // Pixels in one of the tiles a TIFF stores its image in (0: none, or another format). A
  // decoder allocates a tile whole, whatever the image's size.
  uint64_t tile_pixels = 0;
};

// Reads at most the first few kilobytes it needs (a JPEG's markers up to its frame header,
// a TIFF's first directory); never reads past `bytes`.
FileHeader sniff(std::string_view bytes);

}  // namespace kyc::image
