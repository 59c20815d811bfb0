// A multipart/form-data body as a browser or `curl -F` sends it, for the upload route.
#pragma once

#include <string>
#include <vector>

namespace kyc::e2e {

inline const std::string kBoundary = "kycd-test-boundary-7d1f";
inline const std::string kMultipartType = "multipart/form-data; boundary=" + kBoundary;

struct Part {
  std::string name, filename, content_type, body;
};

// `boundary` as a client picks it: at random, anew for every request it builds.
inline std::string multipart(const std::vector<Part>& parts,
                             const std::string& boundary = kBoundary) {
  std::string out;
  for (const auto& p : parts) {
    out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) out += "; filename=\"" + p.filename + "\"";
    out += "\r\n";
    if (!p.content_type.empty()) out += "Content-Type: " + p.content_type + "\r\n";
    out += "\r\n" + p.body + "\r\n";
  }
  return out + "--" + boundary + "--\r\n";
}

}  // namespace kyc::e2e
