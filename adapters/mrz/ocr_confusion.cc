#include "adapters/mrz/ocr_confusion.h"

namespace kyc::text {

char as_digit(char c) {
  switch (c) {
    case 'O':
    case 'Q':
    case 'D':
      return '0';
    case 'I':
      return '1';
    case 'Z':
      return '2';
    case 'S':
      return '5';
    case 'G':
      return '6';
    case 'B':
      return '8';
    default:
      return c;
  }
}

char as_letter(char c) {
  // Only the most likely letter per digit: D and Q are far rarer than O in names and codes.
  switch (c) {
    case '0':
      return 'O';
    case '1':
      return 'I';
    case '2':
      return 'Z';
    case '5':
      return 'S';
    case '6':
      return 'G';
    case '8':
      return 'B';
    default:
      return c;
  }
}

std::string_view confusable_with(char c) {
  switch (c) {
    case '0':
      return "OQD";
    case '1':
      return "I";
    case '2':
      return "Z";
    case '5':
      return "S";
    case '6':
      return "G";
    case '8':
      return "B";
    case 'O':
    case 'Q':
    case 'D':
      return "0";
    case 'I':
      return "1";
    case 'Z':
      return "2";
    case 'S':
      return "5";
    case 'G':
      return "6";
    case 'B':
      return "8";
    default:
      return {};
  }
}

}  // namespace kyc::text
