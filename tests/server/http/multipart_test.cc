// The multipart/form-data reader on well-formed and broken bodies.
#include "server/http/multipart.h"

#include <gtest/gtest.h>

using namespace kyc::server;

namespace {

std::vector<FormPart> parts_of(std::string_view body, std::string_view boundary = "b") {
  auto r = parse_multipart(body, boundary, {});
  if (!r) ADD_FAILURE() << r.error().offset << ": " << r.error().message;
  return r ? *r : std::vector<FormPart>{};
}

MultipartError error_of(std::string_view body, MultipartLimits limits = {}) {
  auto r = parse_multipart(body, "b", limits);
  EXPECT_TRUE(r.has_error()) << body;
  return r.has_error() ? r.error() : MultipartError{};
}

}  // namespace

TEST(Multipart, BoundaryFromTheContentType) {
  EXPECT_EQ(form_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(form_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b\""), "a b");
  EXPECT_FALSE(form_boundary("multipart/form-data"));
  EXPECT_FALSE(form_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(form_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(form_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST(Multipart, PartsWithNamesFilenamesAndBinaryBodies) {
  std::string body = std::string("preamble\r\n--b\r\n") +
                     "Content-Disposition: form-data; name=\"metadata\"\r\n" +
                     "Content-Type: application/json\r\n\r\n{\"a\":1}\r\n--b\r\n" +
                     "content-disposition: form-data; name=front; filename=\"x\\\"y.jpg\"\r\n\r\n" +
                     std::string("\xff\xd8\0\r\n-", 7) + "\r\n--b--\r\nepilogue";
  auto parts = parts_of(body);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "metadata");
  EXPECT_EQ(parts[0].content_type, "application/json");
  EXPECT_EQ(parts[0].body, "{\"a\":1}");
  EXPECT_EQ(parts[1].name, "front");
  EXPECT_EQ(parts[1].filename, "x\"y.jpg");
  EXPECT_EQ(parts[1].body, std::string_view("\xff\xd8\0\r\n-", 7));
}

TEST(Multipart, BrokenBodiesSayWhereAndWhy) {
  EXPECT_EQ(error_of("no delimiter at all").message, "the boundary never appears");
  EXPECT_NE(error_of("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nopen")
                .message.find("never ends"),
            std::string::npos);
  auto e = error_of("--b\r\nContent-Disposition: form-data; name=\"f\"\r\nno blank line");
  EXPECT_EQ(e.offset, 5u);
  EXPECT_NE(error_of("--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--b--")
                .message.find("not form-data"),
            std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--").message.find("name"),
            std::string::npos);
  EXPECT_NE(error_of("--bX\r\n").message.find("line break"), std::string::npos);
  std::string many;
  for (int i = 0; i < 5; ++i)
    many += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  EXPECT_NE(error_of(many + "--b--", {3, 4096}).message.find("more than 3 parts"),
            std::string::npos);
}
