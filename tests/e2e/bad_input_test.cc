// The bad-input table: hostile or broken requests, each with the status it must get (0: the
// server closes the connection without an answer, as for a client too slow to send its
// request). After the whole table the server still answers and its memory is back down.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <functional>

#include "common/utf8.h"
#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;

namespace {

const std::string kB = "tbl-boundary";
const std::string kImages = KYC_SOURCE_DIR "/../shared/data/mrz/images/";

std::string file(const std::string& path) {
  std::string s;
  kyc::dsl::read_file(path, s);
  return s;
}

std::string evaluate(const std::string& body, const std::string& type = "application/json",
                     const std::string& token = kAdminToken) {
  return request("POST", "/v1/evaluate", body, token, type);
}

std::string facts(const std::string& inner) { return "{\"facts\":{" + inner + "}}"; }

std::string upload(const std::string& front, const std::string& name = "a.jpg",
                   const std::string& account_id = "t") {
  std::string body = "--" + kB +
                     "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                     "{\"account_id\":\"" +
                     account_id + "\",\"document_type\":\"passport\"}\r\n--" + kB +
                     "\r\nContent-Disposition: form-data; name=\"front\"; filename=\"" + name +
                     "\"\r\nContent-Type: image/jpeg\r\n\r\n" + front + "\r\n--" + kB + "--\r\n";
  return request("POST", "/v1/verifications", body, kEvaluateToken,
                 "multipart/form-data; boundary=" + kB);
}

// Valid primary data for the account at `path_id` (as written in the path, escapes and all).
std::string put_primary(const std::string& path_id, const std::string& full_name = "A B") {
  return request("PUT", "/v1/accounts/" + path_id + "/primary",
                 "{\"full_name\":\"" + full_name +
                     "\",\"birth_date\":\"1990-01-01\",\"country\":\"DE\","
                     "\"document_type\":\"passport\",\"document_number\":\"P1\"}",
                 kEvaluateToken);
}

std::string png_claiming(uint32_t w, uint32_t h) {
  auto be = [](uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  };
  return std::string("\x89PNG\r\n\x1a\n", 8) + be(13) + "IHDR" + be(w) + be(h) +
         std::string("\x08\x02\0\0\0", 5) + std::string(64, '\0');
}

std::string nested(int depth) {
  return facts("\"a\":" + std::string(depth, '[') + std::string(depth, ']'));
}

std::string many_keys(int n) {
  std::string s = "{\"facts\":{";
  for (int i = 0; i < n; ++i) s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  return s + "}}";
}

struct Case {
  const char* what;
  std::function<std::string()> bytes;  // the raw request (built lazily: some are large)
  int status;
};

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = 0;
  while (in >> key)
    if (key == "VmRSS:" && in >> value) return value;
  return -1;
}

}  // namespace

TEST(BadInput, EveryHostileRequestGetsItsStatusAndTheServerStaysHealthy) {
  ServerProcess s({"--read-timeout", "700", "--idle-timeout", "700"});
  const std::string ok_facts = file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json");
  const std::string jpeg = file(kImages + "passport-td3.jpg");
  const std::string png = file(kImages + "passport-td3.png");
  const std::string post_head = "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                kAdminToken + "\r\nContent-Type: application/json\r\n";
  std::vector<Case> cases = {
      // Bodies: cut short, too long, wrong or missing type.
      {"body shorter than its Content-Length",
       [&] { return post_head + "Content-Length: 100\r\n\r\n{\"facts\":"; }, 0},
      {"body over the 1 MiB limit",
       [&] { return evaluate(facts("\"x\":\"" + std::string(1 << 21, 'a') + "\"")); }, 413},
      {"Content-Length over the limit, no body",
       [&] { return post_head + "Content-Length: 99999999999\r\n\r\n"; }, 413},
      {"text/plain body", [&] { return evaluate(ok_facts, "text/plain"); }, 415},
      {"no content type",
       [&] {
         return post_head.substr(0, post_head.find("Content-Type")) + "Content-Length: 2\r\n\r\n{}";
       },
       415},
      {"form-urlencoded body",
       [&] { return evaluate("facts=1", "application/x-www-form-urlencoded"); }, 415},
      // JSON that is not what it claims.
      {"invalid UTF-8 in a string",
       [&] { return evaluate(facts("\"document.type\":\"pass\xff\xfeport\"")); }, 400},
      {"JSON nested 100,000 deep", [&] { return evaluate(nested(100000)); }, 400},
      {"1,000,000 keys (over the body limit)", [&] { return evaluate(many_keys(1000000)); }, 413},
      {"20,000 keys (over the element limit)", [&] { return evaluate(many_keys(20000)); }, 413},
      {"a number like 1e999", [&] { return evaluate(facts("\"image.blur\":1e999")); }, 422},
      // RFC 8259 leaves duplicate names to the parser; Boost.JSON keeps the last, and the audit
      // record shows the value that was evaluated.
      {"duplicate keys (the last one is evaluated)",
       [&] { return evaluate(facts("\"image.blur\":1,\"image.blur\":900")); }, 200},
      {"NUL bytes inside the JSON", [&] { return evaluate(std::string("{\"facts\":{\0}}", 13)); },
       400},
      {"trailing garbage after the JSON", [&] { return evaluate(facts("") + "xyz"); }, 400},
      {"a JSON array", [&] { return evaluate("[1,2,3]"); }, 422},
      {"facts that are not an object", [&] { return evaluate("{\"facts\":[]}"); }, 422},
      {"a fact of the wrong type", [&] { return evaluate(facts("\"image.blur\":\"sharp\"")); },
       422},
      {"an impossible date", [&] { return evaluate(facts("\"document.expiry\":\"2025-02-30\"")); },
       422},
      {"locale that is not a string", [&] { return evaluate("{\"facts\":{},\"locale\":7}"); }, 422},
      // Account ids: bounded and printable (service/account_id.h). 900 KB once reached the
      // seal's limit and was answered 503, "retry later".
      {"an account id of 900,000 bytes",
       [&] {
         return evaluate("{\"account_id\":\"" + std::string(900000, 'a') +
                         "\",\"facts\":" + ok_facts + "}");
       },
       422},
      {"an account id with a line break",
       [&] { return evaluate("{\"account_id\":\"a\\nb\",\"facts\":{}}"); }, 422},
      {"an account id with a NUL",
       [&] { return evaluate("{\"account_id\":\"a\\u0000b\",\"facts\":{}}"); }, 422},
      {"an upload whose account id is 300 bytes",
       [&] { return upload(jpeg, "a.jpg", std::string(300, 'a')); }, 422},
      {"primary data for an account id with a line break",
       [&] {
         return put_primary("a%0Ab");
       },
       422},
      // A fact's text is bounded (--max-fact-text-bytes): two names of 150 KB through the
      // shipped policy's name_similarity held every request for 35 s.
      {"a fact whose text is 5,000 bytes",
       [&] { return evaluate(facts("\"document.name\":\"" + std::string(5000, 'a') + "\"")); },
       422},
      {"primary data whose name is 5,000 bytes",
       [&] {
         return put_primary("acct-long-name", std::string(5000, 'a'));
       },
       422},
      // Escapes that decode to bytes that are not UTF-8: before, the id was stored and echoed,
      // and each answer below was JSON no strict client could parse.
      {"primary data for an account id that is not UTF-8",
       [&] {
         return put_primary("%FF%FE");
       },
       400},
      {"an account's attempts for an id with a line break",
       [&] { return request("GET", "/v1/accounts/a%0Ab/verifications", "", kAdminToken); }, 422},
      {"erasing an account whose id is 300 bytes",
       [&] { return request("DELETE", "/v1/accounts/" + std::string(300, 'a'), "", kAdminToken); },
       422},
      {"an account's attempts for an id that is not UTF-8",
       [&] { return request("GET", "/v1/accounts/%FF/verifications", "", kAdminToken); }, 400},
      {"a query value that is not UTF-8",
       [&] { return request("GET", "/v1/verifications?from=%C3", "", kAdminToken); }, 400},
      {"a multipart part whose name is not UTF-8",
       [&] {
         std::string body = "--" + kB +
                            "\r\nContent-Disposition: form-data; name=\"meta\xff\"\r\n\r\nx\r\n--" +
                            kB + "--\r\n";
         return request("POST", "/v1/verifications", body, kEvaluateToken,
                        "multipart/form-data; boundary=" + kB);
       },
       400},
      // Facts the service owns, sent by a caller that may not set them: set aside and listed.
      {"today set by the evaluate role",
       [&] {
         return evaluate(facts("\"today\":\"2020-01-01\""), "application/json", kEvaluateToken);
       },
       200},
      // Multipart uploads.
      {"multipart without a boundary",
       [&] {
         return request("POST", "/v1/verifications", "--x--", kEvaluateToken,
                        "multipart/form-data");
       },
       400},
      {"a boundary that never closes",
       [&] {
         std::string body =
             "--" + kB + "\r\nContent-Disposition: form-data; name=\"front\"\r\n\r\n" + jpeg;
         return request("POST", "/v1/verifications", body, kEvaluateToken,
                        "multipart/form-data; boundary=" + kB);
       },
       400},
      {"1,000 parts",
       [&] {
         std::string body;
         for (int i = 0; i < 1000; ++i)
           body += "--" + kB + "\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
         return request("POST", "/v1/verifications", body + "--" + kB + "--\r\n", kEvaluateToken,
                        "multipart/form-data; boundary=" + kB);
       },
       400},
      {"multipart type over a JSON body",
       [&] {
         return request("POST", "/v1/verifications", ok_facts, kEvaluateToken,
                        "multipart/form-data; boundary=" + kB);
       },
       400},
      {"an upload over the 16 MiB limit", [&] { return upload(std::string(17 << 20, 'x')); }, 413},
      {"a PNG that claims 100,000 x 100,000 pixels",
       [&] { return upload(png_claiming(100000, 100000), "a.png"); }, 200},
      {"a JPEG cut in half", [&] { return upload(jpeg.substr(0, jpeg.size() / 2)); }, 200},
      {"a PNG cut in half", [&] { return upload(png.substr(0, png.size() / 2), "a.png"); }, 200},
      {"a GIF renamed .jpg",
       [&] {
         return upload(
             "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!"
             "\xf9\x04\x00\x00\x00\x00\x00,",
             "photo.jpg");
       },
       200},
      {"a PDF",
       [&] { return upload("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "id.jpg"); }, 200},
      {"an empty file", [&] { return upload(""); }, 400},
      {"random bytes as a photo",
       [&] {
         std::string r(4096, '\0');
         for (size_t i = 0; i < r.size(); ++i) r[i] = char(i * 7919 % 251);
         return upload(r);
       },
       200},
      // Headers and the request line.
      {"a header of 1 MB",
       [&] {
         return "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'a') +
                "\r\n\r\n";
       },
       431},
      {"a 20,000-character URL",
       [&] {
         return "GET /v1/verifications/" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
       },
       431},
      {"a malformed request line", [&] { return std::string("HELLO THERE\r\n\r\n"); }, 400},
      {"a negative Content-Length", [&] { return post_head + "Content-Length: -5\r\n\r\n"; }, 400},
      {"two different Content-Lengths",
       [&] { return post_head + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"; }, 400},
      {"a broken chunk size",
       [&] { return post_head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"; }, 400},
      {"slow-loris on the headers",
       [&] { return std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n"); }, 0},
      {"slow-loris on the body",
       [&] { return post_head + "Content-Length: 5000\r\n\r\n{\"facts\":{"; }, 0},
      // Credentials and paths.
      {"no token", [&] { return request("POST", "/v1/evaluate", ok_facts); }, 401},
      {"a wrong token",
       [&] { return evaluate(ok_facts, "application/json", "not-a-token-at-all-000000"); }, 401},
      {"a token in the query string",
       [&] { return request("GET", "/v1/policies?access_token=" + kAdminToken, "", kAdminToken); },
       400},
      {"a token in the query string, percent-encoded",
       [&] {
         return request("GET", "/v1/policies?access%5Ftoken=" + kAdminToken, "", kAdminToken);
       },
       400},
      {"a token in the query string, in capitals",
       [&] { return request("GET", "/v1/policies?Access_Token=" + kAdminToken, "", kAdminToken); },
       400},
      {"paging with trailing garbage",
       [&] { return request("GET", "/v1/accounts/a/verifications?after=12abc", "", kAuditToken); },
       400},
      {"paging past the integer range",
       [&] {
         return request("GET", "/v1/accounts/a/verifications?limit=99999999999999999999", "",
                        kAuditToken);
       },
       400},
      {"a bad percent escape in the path",
       [&] { return request("GET", "/v1/verifications/%zz", "", kAuditToken); }, 400},
      {"an account id that is an e-mail address",
       [&] { return request("GET", "/v1/accounts/a%40b.example/verifications", "", kAuditToken); },
       200},
      {"an admin route with the evaluate role",
       [&] { return request("POST", "/v1/admin/reload", "", kEvaluateToken); }, 403},
      {"path traversal in a decision id",
       [&] { return request("GET", "/v1/verifications/../../etc/passwd", "", kAuditToken); }, 404},
      {"encoded path traversal in a decision id",
       [&] {
         return request("GET", "/v1/verifications/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "", kAuditToken);
       },
       404},
      {"path traversal in an account id",
       [&] { return request("GET", "/v1/accounts/..%2F..%2Fvar/verifications", "", kAuditToken); },
       200},
      {"an unknown route", [&] { return request("GET", "/v1/nothing-here", "", kAdminToken); },
       404},
      {"a wrong method", [&] { return request("DELETE", "/v1/evaluate", "", kAdminToken); }, 405},
  };
  ASSERT_GE(cases.size(), 40u);
  pid_t pid = s.pid();
  long rss_before = rss_kib(pid);
  for (const auto& c : cases) {
    // The request is built before the connection opens: the server cuts off a connection that
    // sends nothing for the read timeout (700 ms here), and building a 12 MB body under ASan
    // on a busy machine took longer than that, so the table measured its own client (the
    // "closed instead of 413" seen in CI).
    std::string bytes = c.bytes();
    Connection conn(s.port());
    ASSERT_TRUE(conn.ok()) << c.what;
    conn.send(bytes);
    // A case the server closes ends at once; 30 s leaves room for the photo cases, whose
    // analysis under ASan with every core busy took over 5 s.
    auto r = conn.read(30000ms);
    int status = r ? r->status : 0;
    EXPECT_EQ(status, c.status) << c.what << (r ? ": " + r->body.substr(0, 300) : ": closed");
    // Every answer is text a strict client parses, whatever bytes the request held.
    if (r) {
      EXPECT_TRUE(kyc::common::is_utf8(r->body)) << c.what << ": " << r->body.substr(0, 300);
    }
  }
  // Still healthy: a normal decision, and memory back down.
  Connection conn(s.port());
  conn.send(evaluate("{\"facts\":" + ok_facts + "}"));
  auto r = conn.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  long rss_after = rss_kib(pid);
#ifdef KYC_SANITIZED
  // AddressSanitizer keeps freed memory in quarantine and maps shadow memory: resident size
  // says nothing there; the plain build holds the limit.
  std::printf("resident KiB before/after the table (ASan build, not checked): %ld / %ld\n",
              rss_before, rss_after);
#else
  EXPECT_LT(rss_after, 200 * 1024) << "KiB resident after the table; before it: " << rss_before;
#endif
}

TEST(BadInput, AnEarlyAnswerReachesAClientThatIsStillSending) {
  // A body refused from its Content-Length is answered at once; the client, slow and steady,
  // is still sending it for seconds after. The server must read and drop it for as long as it
  // keeps coming: closing on unread bytes resets the connection, and the reset destroys the
  // 413 waiting in the client's receive buffer (seen under ASan on a busy machine).
  ServerProcess s;
  const size_t body = 6 * 1024 * 1024, chunk = 64 * 1024;
  Connection conn(s.port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn.send("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        kAdminToken + "\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body) + "\r\n\r\n"));
  std::string piece(chunk, ' ');
  auto started = std::chrono::steady_clock::now();
  bool sent_all = true;
  for (size_t sent = 0; sent < body && sent_all; sent += chunk) {
    sent_all = conn.send(piece);
    std::this_thread::sleep_for(30ms);  // ~2 MB/s: three seconds in all
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_TRUE(sent_all) << "the server reset the connection after " << seconds << " s";
  auto r = conn.read(5000ms);
  ASSERT_TRUE(r) << "no answer after sending for " << seconds << " s";
  EXPECT_EQ(r->status, 413);
  EXPECT_GT(seconds, 2.5);  // longer than the linger timeout's pause
}
