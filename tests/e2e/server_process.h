// Starts the real `kyc serve` binary on an ephemeral port with its own policy folder, data
// folder and tokens, and stops it with a signal.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/sha256.h"

namespace kyc::e2e {

namespace fs = std::filesystem;

inline const std::string kEvaluateToken = "evaluate-token-0000000001";
inline const std::string kAuditToken = "audit-token-00000000000001";
inline const std::string kAdminToken = "admin-token-00000000000001";

// Runs the real CLI (`kyc ARGS`); its exit status and what it printed (both streams).
inline std::pair<int, std::string> run_kyc(const std::string& args) {
  std::string command = std::string(KYC_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

inline std::string token_line(const std::string& token, const std::string& roles,
                              const std::string& name = "") {
  return "sha256:" + kyc::common::sha256_hex(token) + " " + roles +
         (name.empty() ? "" : " " + name) + "\n";
}

// A policy text with another version in its header: a changed text needs one to activate.
inline std::string with_version(std::string text, const std::string& version) {
  size_t at = text.find("version \"");
  if (at == std::string::npos) return text;
  size_t end = text.find('"', at + 9);
  return text.replace(at + 9, end - at - 9, version);
}

class ServerProcess {
 public:
  // `prepare` runs on the data folder's path before the server first starts (the fault test
  // mounts a small file system there).
  explicit ServerProcess(std::vector<std::string> extra_args = {},
                         const std::function<void(const fs::path&)>& prepare = {}) {
    char tmpl[] = "/tmp/kycd-e2e-XXXXXX";
    dir_ = mkdtemp(tmpl);
    fs::create_directories(dir_ / "policies");
    fs::copy_file(KYC_SOURCE_DIR "/policies/kyc.policy", policy_path());
    // The file holds the tokens' hashes, as `kyc tokens new` writes them.
    std::ofstream(dir_ / "tokens")
        << "# test tokens\n"
        << token_line(kEvaluateToken, "evaluate") << token_line(kAuditToken, "audit")
        << token_line(kAdminToken, "admin,evaluate,audit", "ops-admin");
    std::vector<std::string> args = {KYC_BINARY,     "serve",
                                     "--listen",     "127.0.0.1:0",
                                     "--port-file",  (dir_ / "port").string(),
                                     "--policy-dir", (dir_ / "policies").string(),
                                     "--data-dir",   (dir_ / "var").string(),
                                     "--tokens",     (dir_ / "tokens").string(),
                                     "--threads",    "2"};
    // The file watcher's default, unless the test sets its own.
    if (std::find(extra_args.begin(), extra_args.end(), "--reload-poll") == extra_args.end())
      args.insert(args.end(), {"--reload-poll", "200"});
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    args_ = args;
    if (prepare) prepare(dir_ / "var");
    start();
  }

  // Starts the binary again on the same folders (after a crash, say).
  void start() {
    std::error_code ec;
    fs::remove(dir_ / "port", ec);
    port_ = 0;
    exited_ = false;
    std::vector<std::string> args = args_;
    pid_ = fork();
    if (pid_ == 0) {
      std::string log = (dir_ / "server.log").string();
      freopen(log.c_str(), "a", stdout);
      freopen(log.c_str(), "a", stderr);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 500 && port_ == 0; ++i) {
      std::ifstream in(dir_ / "port");
      if (!(in >> port_)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  int port() const { return port_; }
  fs::path data_dir() const { return dir_ / "var"; }
  void kill9() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    exited_ = true;
  }
  pid_t pid() const { return pid_; }
  fs::path policy_path() const { return dir_ / "policies" / "kyc.policy"; }
  std::string log() const {
    std::ifstream in(dir_ / "server.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  void signal(int sig) { kill(pid_, sig); }

  // Waits for the process to exit; its exit status, or -1 on timeout or a crash.
  int wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  fs::path dir_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
};

}  // namespace kyc::e2e
