// AES-256-GCM sealing: a value opens only under its key and with its associated data, and any
// change to the sealed bytes (each one in turn), any cut and any unknown version is refused
// with an error, not an exception or a wrong plaintext.
#include "common/aead.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace aead = kyc::common::aead;
using kyc::common::SecretKey;

namespace {

SecretKey key_of(char c) { return *SecretKey::from_bytes(std::string(32, c), "test key"); }

}  // namespace

TEST(Aead, SealThenOpenGivesThePlaintextBack) {
  SecretKey key = key_of('k');
  for (std::string text : {std::string(), std::string("Ana Maria Popescu"), std::string(5000, 'x'),
                           std::string("\0binary\xff", 8)}) {
    auto sealed = aead::seal(key, text, "acct-1\nfull_name");
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(sealed->size(), text.size() + aead::kOverheadBytes);
    EXPECT_EQ(static_cast<unsigned char>((*sealed)[0]), aead::kVersion);
    auto opened = aead::open(key, *sealed, "acct-1\nfull_name");
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, text);
  }
}

TEST(Aead, TheCiphertextDoesNotShowThePlaintext) {
  auto sealed = aead::seal(key_of('k'), "Ana Maria Popescu", "ad");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->find("Popescu"), std::string::npos);
}

TEST(Aead, TwoSealsOfTheSameTextDiffer) {
  SecretKey key = key_of('k');
  auto one = aead::seal(key, "1990-01-31", "ad");
  auto two = aead::seal(key, "1990-01-31", "ad");
  ASSERT_TRUE(one && two);
  EXPECT_NE(one->substr(1, aead::kNonceBytes), two->substr(1, aead::kNonceBytes));
  EXPECT_NE(*one, *two);
}

// Nonces are drawn 64 at a time per thread (aead.cc): across draws and threads none repeats.
TEST(Aead, NoncesNeverRepeatAcrossDrawsAndThreads) {
  std::set<std::string> nonces;
  std::mutex mutex;
  auto seal_many = [&] {
    SecretKey key = key_of('k');
    for (int i = 0; i < 1000; ++i) {
      auto sealed = aead::seal(key, "x", "ad");
      ASSERT_TRUE(sealed);
      std::lock_guard lock(mutex);
      EXPECT_TRUE(nonces.insert(sealed->substr(1, aead::kNonceBytes)).second);
    }
  };
  std::thread a(seal_many), b(seal_many);
  a.join();
  b.join();
  seal_many();
  EXPECT_EQ(nonces.size(), 3000u);
}

// A forked child must not hand out the nonces its parent drew before the fork: both would
// take the next one of the same buffer, and one nonce under one key twice breaks GCM.
TEST(Aead, AForkedChildDrawsItsOwnNonces) {
  SecretKey key = key_of('k');
  ASSERT_TRUE(aead::seal(key, "x", "ad"));  // the buffer is drawn, 63 nonces left in it
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto sealed = aead::seal(key, "x", "ad");
    std::string nonce = sealed ? sealed->substr(1, aead::kNonceBytes) : std::string();
    ssize_t written = write(pipe_fds[1], nonce.data(), nonce.size());
    _exit(written == static_cast<ssize_t>(aead::kNonceBytes) ? 0 : 1);
  }
  close(pipe_fds[1]);
  auto parents = aead::seal(key, "x", "ad");
  ASSERT_TRUE(parents);
  std::string childs(aead::kNonceBytes, '\0');
  EXPECT_EQ(read(pipe_fds[0], childs.data(), childs.size()),
            static_cast<ssize_t>(aead::kNonceBytes));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(parents->substr(1, aead::kNonceBytes), childs);
}

TEST(Aead, EveryAlteredByteIsRefused) {
  SecretKey key = key_of('k');
  auto sealed = aead::seal(key, "X1234567", "acct-1\ndocument_number");
  ASSERT_TRUE(sealed);
  for (size_t i = 0; i < sealed->size(); ++i)
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string altered = *sealed;
      altered[i] = static_cast<char>(altered[i] ^ flip);
      auto opened = aead::open(key, altered, "acct-1\ndocument_number");
      ASSERT_FALSE(opened) << "byte " << i << " flipped with " << int(flip);
      EXPECT_FALSE(opened.error().message.empty());
    }
}

TEST(Aead, AWrongKeyOrAssociatedDataIsRefused) {
  auto sealed = aead::seal(key_of('k'), "Popescu", "acct-1\nfull_name");
  ASSERT_TRUE(sealed);
  auto wrong_key = aead::open(key_of('j'), *sealed, "acct-1\nfull_name");
  ASSERT_FALSE(wrong_key);
  EXPECT_NE(wrong_key.error().message.find("does not open"), std::string::npos);
  EXPECT_FALSE(aead::open(key_of('k'), *sealed, "acct-2\nfull_name"));   // another account
  EXPECT_FALSE(aead::open(key_of('k'), *sealed, "acct-1\nbirth_date"));  // another field
  EXPECT_FALSE(aead::open(key_of('k'), *sealed, ""));
}

TEST(Aead, ACutOrExtendedValueIsRefused) {
  SecretKey key = key_of('k');
  auto sealed = aead::seal(key, "Popescu", "ad");
  ASSERT_TRUE(sealed);
  for (size_t n = 0; n < sealed->size(); ++n) {
    auto opened = aead::open(key, sealed->substr(0, n), "ad");
    EXPECT_FALSE(opened) << "cut to " << n << " bytes";
  }
  auto short_one = aead::open(key, "", "ad");
  ASSERT_FALSE(short_one);
  EXPECT_NE(short_one.error().message.find("cut"), std::string::npos);
  EXPECT_FALSE(aead::open(key, *sealed + "x", "ad"));
  EXPECT_FALSE(aead::open(key, sealed->substr(1), "ad"));  // cut at the front
}

TEST(Aead, AnUnknownVersionIsNamed) {
  SecretKey key = key_of('k');
  auto sealed = aead::seal(key, "Popescu", "ad");
  ASSERT_TRUE(sealed);
  std::string v2 = *sealed;
  v2[0] = 2;
  auto opened = aead::open(key, v2, "ad");
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("version 2"), std::string::npos);
}

TEST(Aead, LimitsAreErrorsNotCrashes) {
  SecretKey key = key_of('k');
  EXPECT_FALSE(aead::seal(key, std::string(aead::kMaxPlaintextBytes + 1, 'x'), "ad"));
  EXPECT_FALSE(aead::seal(key, "x", std::string(aead::kMaxAssociatedDataBytes + 1, 'a')));
}

TEST(SecretKey, OnlyThirtyTwoBytesMakeAKey) {
  EXPECT_FALSE(SecretKey::from_bytes(std::string(31, 'k'), "key"));
  EXPECT_FALSE(SecretKey::from_bytes(std::string(33, 'k'), "key"));
  auto random_one = SecretKey::random();
  auto random_two = SecretKey::random();
  ASSERT_TRUE(random_one && random_two);
  EXPECT_EQ(random_one->bytes().size(), 32u);
  EXPECT_NE(random_one->bytes(), random_two->bytes());
  SecretKey copy = *random_one;
  EXPECT_EQ(copy.bytes(), random_one->bytes());
  SecretKey moved = std::move(copy);
  EXPECT_EQ(moved.bytes(), random_one->bytes());
  // A moved-from key is empty, and sealing with it is an error, not a read past its end.
  EXPECT_FALSE(aead::seal(copy, "x", "ad"));                   // NOLINT(bugprone-use-after-move)
  EXPECT_FALSE(aead::open(copy, std::string(40, 'x'), "ad"));  // NOLINT(bugprone-use-after-move)
}
