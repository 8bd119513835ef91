// AES-256-CBC iterator tokens through OpenSSL EVP.

#include "engine/store/iterators/iterator_token.h"

#include "engine/common/base64.h"
#include "engine/store/shards/sequence_number.h"
#include "engine/store/stream_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <ctime>
#include <memory>
#include <vector>

namespace shardflow::store {
namespace {

constexpr unsigned char kHeader[8] = {0, 0, 0, 0, 0, 0, 0, 1};
constexpr size_t kIvSize = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Error invalid_iterator() {
    return Error{ErrorCode::kInvalidArgument, "Invalid ShardIterator."};
}

// "Mon Jan 02 15:04:05 UTC 2006", the Java Date form AWS uses in ExpiredIteratorException.
std::string java_date(EpochMillis ms) {
    return format_utc(ms, "%a %b %d %H:%M:%S UTC %Y");
}

std::vector<std::string_view> split_fields(std::string_view text) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            fields.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return fields;
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string IteratorCodec::encode(const IteratorPosition& p) const {
    SequenceNumber seq{p.shard_create_secs, p.shard_index, p.seq_ix, p.created_ms / 1000};
    std::string plain = fmt::format("{:014}/{}/{}/{}/{}",
                                    p.created_ms,
                                    p.stream_name,
                                    shard_id_name(p.shard_index),
                                    seq.to_string(),
                                    p.stream_id);
    unsigned char iv[kIvSize];
    RAND_bytes(iv, sizeof iv);
    std::string out(reinterpret_cast<const char*>(kHeader), sizeof kHeader);
    out.append(reinterpret_cast<const char*>(iv), sizeof iv);
    size_t prefix = out.size();
    out.resize(prefix + plain.size() + 16);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len1 = 0;
    int len2 = 0;
    auto* dst = reinterpret_cast<unsigned char*>(out.data() + prefix);
    EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key_.data(), iv);
    EVP_EncryptUpdate(ctx.get(),
                      dst,
                      &len1,
                      reinterpret_cast<const unsigned char*>(plain.data()),
                      static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx.get(), dst + len1, &len2);
    out.resize(prefix + static_cast<size_t>(len1 + len2));
    return base64_encode(out);
}

Result<IteratorPosition> IteratorCodec::decode(std::string_view token, EpochMillis now_ms) const {
    auto raw = base64_decode(token);
    if (!raw || raw->size() < sizeof kHeader + kIvSize + 16 ||
        (raw->size() - sizeof kHeader - kIvSize) % 16 != 0 ||
        raw->compare(0, sizeof kHeader, reinterpret_cast<const char*>(kHeader), sizeof kHeader) !=
            0) {
        return invalid_iterator();
    }
    const auto* iv = reinterpret_cast<const unsigned char*>(raw->data() + sizeof kHeader);
    const auto* cipher = iv + kIvSize;
    int cipher_len = static_cast<int>(raw->size() - sizeof kHeader - kIvSize);
    std::string plain(static_cast<size_t>(cipher_len) + 16, '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len1 = 0;
    int len2 = 0;
    auto* dst = reinterpret_cast<unsigned char*>(plain.data());
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key_.data(), iv) != 1 ||
        EVP_DecryptUpdate(ctx.get(), dst, &len1, cipher, cipher_len) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), dst + len1, &len2) != 1) {
        return invalid_iterator();
    }
    plain.resize(static_cast<size_t>(len1 + len2));

    auto fields = split_fields(plain);
    if (fields.size() != 5 || fields[0].size() != 14 || !all_digits(fields[0]) ||
        !all_digits(fields[4])) {
        return invalid_iterator();
    }
    auto shard_index = parse_shard_id(fields[2]);
    auto seq = SequenceNumber::parse(fields[3]);
    if (!fields[2].starts_with("shardId-") || fields[2].size() != 20 || !shard_index || !seq ||
        seq->shard_index != *shard_index) {
        return invalid_iterator();
    }
    IteratorPosition p;
    p.created_ms = std::stoll(std::string(fields[0]));
    p.stream_name = std::string(fields[1]);
    p.shard_index = *shard_index;
    p.shard_create_secs = seq->shard_create_secs;
    p.seq_ix = seq->seq_ix;
    p.stream_id = std::stoll(std::string(fields[4]));
    if (p.created_ms <= 0 || p.created_ms > now_ms + 1000) {
        return invalid_iterator();
    }
    if (now_ms - p.created_ms > kLifetimeMs) {
        return Error::make(
            ErrorCode::kExpiredIterator,
            "Iterator expired. The iterator was created at time {} while right now it is {} "
            "which is further in the future than the tolerated delay of {} milliseconds.",
            java_date(p.created_ms),
            java_date(now_ms),
            kLifetimeMs);
    }
    return p;
}

}  // namespace shardflow::store
