#include "adapters/aamva/aamva_licence.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "common/civil_date.h"

namespace kyc::text {

namespace {

std::string trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

// ANSI D20 codes of the Canadian provinces and territories.
bool is_canadian_jurisdiction(std::string_view code) {
  static constexpr std::array<std::string_view, 13> kCodes = {
      "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"};
  for (std::string_view c : kCodes)
    if (c == code) return true;
  return false;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    parts.push_back(trimmed(text.substr(start, comma - start)));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

std::string join_nonempty(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    if (!out.empty()) out += ' ';
    out += parts[i];
  }
  return out;
}

class LicenceReader {
 public:
  LicenceReader(const AamvaSubfile& subfile, int version) : subfile_(subfile), version_(version) {}

  AamvaLicence read() {
    AamvaLicence out;
    read_names(out);
    out.document_number = text("DAQ");
    out.address = text("DAG");
    out.city = text("DAI");
    out.jurisdiction = text("DAJ");
    out.postal_code = text("DAK");
    out.sex = sex(text("DBC"));
    out.country = text("DCG");
    if (out.country.empty() && !out.jurisdiction.empty())
      out.country = is_canadian_jurisdiction(out.jurisdiction) ? "CAN" : "USA";
    out.date_order = date_order_for(version_, out.country);
    out.birth_date = date("DBB", out);
    out.expiry_date = date("DBA", out);
    out.issue_date = date("DBD", out);
    return out;
  }

 private:
  std::string text(std::string_view id) const {
    const AamvaDataElement* element = subfile_.find(id);
    return element ? trimmed(element->value) : std::string();
  }

  void read_names(AamvaLicence& out) const {
    // DAA, the whole name "FAMILY,GIVEN,MIDDLE,SUFFIX", is the fallback of version 1 cards
    // that do not also write the parts.
    const std::vector<std::string> full = split_commas(text("DAA"));
    out.family_name = text("DCS");
    if (out.family_name.empty()) out.family_name = text("DAB");
    if (out.family_name.empty()) out.family_name = full.front();

    std::string given = text("DCT");
    for (char& c : given)
      if (c == ',') c = ' ';
    if (given.empty()) given = join_nonempty({text("DAC"), text("DAD")}, 0);
    if (given.empty() && full.size() > 1) {
      // GIVEN and MIDDLE; a fourth part is the suffix, which is no given name.
      const size_t end = std::min<size_t>(full.size(), 3);
      given = join_nonempty({full.begin() + 1, full.begin() + static_cast<ptrdiff_t>(end)}, 0);
    }
    out.given_names = trimmed(given);
  }

  // Codes 1 = male, 2 = female, 9 = not specified; older cards (the version 1 sample) write
  // the letter itself.
  static std::string sex(const std::string& code) {
    if (code == "1") return "M";
    if (code == "2") return "F";
    if (code == "9") return "X";
    return code;
  }

  std::optional<int32_t> date(std::string_view id, AamvaLicence& out) const {
    const AamvaDataElement* element = subfile_.find(id);
    if (!element) return std::nullopt;
    auto day = parse_aamva_date(element->value, out.date_order);
    if (!day)
      out.problems.push_back(
          {element->offset,
           std::string(id) + " \"" + element->value + "\" is not a " +
               (out.date_order == AamvaDateOrder::YearFirst ? "CCYYMMDD" : "MMDDCCYY") + " date"});
    return day;
  }

  const AamvaSubfile& subfile_;
  int version_;
};

}  // namespace

AamvaDateOrder date_order_for(int aamva_version, std::string_view country) {
  if (aamva_version <= 1) return AamvaDateOrder::YearFirst;
  if (aamva_version == 2) return AamvaDateOrder::MonthFirst;
  return country == "CAN" ? AamvaDateOrder::YearFirst : AamvaDateOrder::MonthFirst;
}

std::optional<int32_t> parse_aamva_date(std::string_view text, AamvaDateOrder order) {
  if (text.size() != 8) return std::nullopt;
  const bool year_first = order == AamvaDateOrder::YearFirst;
  auto year = common::parse_digits(text.substr(year_first ? 0 : 4, 4));
  auto month = common::parse_digits(text.substr(year_first ? 4 : 0, 2));
  auto day = common::parse_digits(text.substr(year_first ? 6 : 2, 2));
  if (!year || !month || !day) return std::nullopt;
  return common::civil_day(*year, *month, *day);
}

boost::system::result<AamvaLicence, AamvaError> read_licence(const AamvaFile& file) {
  const AamvaSubfile* subfile = file.find_subfile("DL");
  if (!subfile) subfile = file.find_subfile("ID");
  if (!subfile) return AamvaError{0, "no DL or ID subfile in the payload"};
  return LicenceReader(*subfile, file.header.aamva_version).read();
}

}  // namespace kyc::text
