#include "adapters/aamva/aamva.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "common/civil_date.h"

namespace kyc::text {

void throw_exception_from_error(const AamvaError& e, const boost::source_location&) {
  throw std::runtime_error("not an AAMVA payload: offset " + std::to_string(e.offset) + ": " +
                           e.message);
}

namespace {

constexpr char kComplianceIndicator = '@';
constexpr char kDataElementSeparator = '\n';
constexpr char kRecordSeparator = '\x1e';
constexpr char kSegmentTerminator = '\r';
constexpr size_t kDesignatorLength = 10;

// Version 1 has no jurisdiction version field, so its header is two characters shorter.
size_t header_length(int version) { return version < 2 ? 19 : 21; }

std::string printable(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

bool is_upper_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

class PayloadReader {
 public:
  explicit PayloadReader(std::string_view payload) : payload_(payload) {}

  boost::system::result<AamvaFile, AamvaError> read() {
    AamvaFile file;
    if (!read_header(file.header) || !read_designators(file)) return std::move(*error_);
    for (const AamvaSubfileDesignator& designator : file.designators) {
      AamvaSubfile subfile;
      if (!read_subfile(designator, subfile)) return std::move(*error_);
      file.subfiles.push_back(std::move(subfile));
    }
    return file;
  }

 private:
  bool fail(size_t offset, std::string message) {
    error_ = AamvaError{offset, std::move(message)};
    return false;
  }

  bool expect_char(size_t at, char expected, const char* what) {
    if (payload_[at] == expected) return true;
    return fail(at, std::string("expected the ") + what + " " + printable(expected) + ", found " +
                        printable(payload_[at]));
  }

  std::optional<int> number_at(size_t at, size_t width, const char* what) {
    auto value = common::parse_digits(payload_.substr(at, width));
    if (!value)
      fail(at, std::string(what) + " must be " + std::to_string(width) + " digits, found \"" +
                   std::string(payload_.substr(at, width)) + "\"");
    return value;
  }

  bool read_header(AamvaHeader& header) {
    // Version first: it decides how long the rest of the header is.
    if (payload_.size() < 17)
      return fail(payload_.size(), "payload too short for an AAMVA header (" +
                                       std::to_string(payload_.size()) + " characters)");
    if (!expect_char(0, kComplianceIndicator, "compliance indicator") ||
        !expect_char(1, kDataElementSeparator, "data element separator (LF)") ||
        !expect_char(2, kRecordSeparator, "record separator (RS)") ||
        !expect_char(3, kSegmentTerminator, "segment terminator (CR)"))
      return false;
    header.file_type = payload_.substr(4, 5);
    if (header.file_type != "ANSI " && header.file_type != "AAMVA")
      return fail(
          4, "expected the file type \"ANSI \" or \"AAMVA\", found \"" + header.file_type + "\"");
    auto issuer = number_at(9, 6, "issuer identification number");
    auto version = issuer ? number_at(15, 2, "AAMVA version") : std::nullopt;
    if (!version) return false;
    if (*version < kAamvaOldestVersion || *version > kAamvaNewestVersion)
      return fail(15, "AAMVA version " + std::to_string(*version) + " is not supported (versions " +
                          std::to_string(kAamvaOldestVersion) + " to " +
                          std::to_string(kAamvaNewestVersion) + ")");
    header.issuer_id = *issuer;
    header.aamva_version = *version;
    header_end_ = header_length(*version);
    if (payload_.size() < header_end_)
      return fail(payload_.size(), "payload too short for a version " + std::to_string(*version) +
                                       " header: needs " + std::to_string(header_end_) +
                                       " characters, has " + std::to_string(payload_.size()));
    if (*version >= 2) {
      auto jurisdiction = number_at(17, 2, "jurisdiction version");
      if (!jurisdiction) return false;
      header.jurisdiction_version = *jurisdiction;
    }
    auto entries = number_at(header_end_ - 2, 2, "number of entries");
    if (!entries) return false;
    if (*entries < 1) return fail(header_end_ - 2, "number of entries is less than 1");
    header.number_of_entries = *entries;
    return true;
  }

  bool read_designators(AamvaFile& file) {
    const size_t count = static_cast<size_t>(file.header.number_of_entries);
    data_start_ = header_end_ + count * kDesignatorLength;
    if (payload_.size() < data_start_)
      return fail(payload_.size(),
                  "payload ends inside the subfile designators: " + std::to_string(count) +
                      " entries need " + std::to_string(data_start_) + " characters, it has " +
                      std::to_string(payload_.size()));
    for (size_t i = 0; i < count; ++i) {
      const size_t at = header_end_ + i * kDesignatorLength;
      AamvaSubfileDesignator designator;
      designator.subfile_type = payload_.substr(at, 2);
      if (!is_upper_alnum(designator.subfile_type[0]) ||
          !is_upper_alnum(designator.subfile_type[1]))
        return fail(at, "subfile type must be two letters or digits, found \"" +
                            designator.subfile_type + "\"");
      auto offset = number_at(at + 2, 4, "subfile offset");
      auto length = offset ? number_at(at + 6, 4, "subfile length") : std::nullopt;
      if (!length) return false;
      designator.offset = *offset;
      designator.length = *length;
      const size_t start = static_cast<size_t>(*offset);
      const size_t end = start + static_cast<size_t>(*length);
      if (start < data_start_)
        return fail(at + 2, "subfile " + designator.subfile_type + " offset " +
                                std::to_string(start) + " points into the header, which ends at " +
                                std::to_string(data_start_));
      if (end > payload_.size())
        return fail(at + 2, "subfile " + designator.subfile_type + " (offset " +
                                std::to_string(start) + ", length " + std::to_string(*length) +
                                ") runs past the end of the payload (" +
                                std::to_string(payload_.size()) + " characters)");
      file.designators.push_back(std::move(designator));
    }
    return true;
  }

  bool read_subfile(const AamvaSubfileDesignator& designator, AamvaSubfile& subfile) {
    const size_t start = static_cast<size_t>(designator.offset);
    const size_t length = static_cast<size_t>(designator.length);
    if (length < 3)
      return fail(start, "subfile " + designator.subfile_type + " length " +
                             std::to_string(length) +
                             " cannot hold its type and segment terminator");
    const std::string_view text = payload_.substr(start, length);
    if (text.substr(0, 2) != designator.subfile_type)
      return fail(start, "subfile should begin with its type \"" + designator.subfile_type +
                             "\", found \"" + std::string(text.substr(0, 2)) + "\"");
    if (text.back() != kSegmentTerminator)
      return fail(start + length - 1, "subfile " + designator.subfile_type +
                                          " does not end with the segment terminator (CR)");
    subfile.subfile_type = designator.subfile_type;
    // Elements run from after the type to before the terminator, separated by LF.
    size_t at = start + 2;
    const size_t end = start + length - 1;
    while (at < end) {
      const size_t separator = std::min(payload_.find(kDataElementSeparator, at), end);
      const std::string_view element = payload_.substr(at, separator - at);
      if (element.size() < 3 || !is_upper_alnum(element[0]) || !is_upper_alnum(element[1]) ||
          !is_upper_alnum(element[2]))
        return fail(at, "data element must start with a 3-character id, found \"" +
                            std::string(element.substr(0, 3)) + "\"");
      subfile.elements.push_back(
          {std::string(element.substr(0, 3)), std::string(element.substr(3)), at});
      at = separator + 1;
    }
    return true;
  }

  std::string_view payload_;
  size_t header_end_ = 0;
  size_t data_start_ = 0;
  std::optional<AamvaError> error_;
};

}  // namespace

const AamvaDataElement* AamvaSubfile::find(std::string_view id) const {
  for (const AamvaDataElement& element : elements)
    if (element.id == id) return &element;
  return nullptr;
}

const AamvaSubfile* AamvaFile::find_subfile(std::string_view subfile_type) const {
  for (const AamvaSubfile& subfile : subfiles)
    if (subfile.subfile_type == subfile_type) return &subfile;
  return nullptr;
}

boost::system::result<AamvaFile, AamvaError> parse_aamva(std::string_view payload) {
  return PayloadReader(payload).read();
}

}  // namespace kyc::text
