#pragma once
// Approximate percentiles of a numeric field with a merging t-digest (Dunning 2019): a few
// hundred centroids whatever the group's size, most precise near the tails, and mergeable, so
// hopping windows combine panes without the raw values.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <tuple>
#include <vector>

namespace shardflow::ops {

class TDigest {
public:
    static constexpr double kCompression = 200;

    void add(double value, double weight = 1) {
        buffer_.push_back({value, weight});
        min_ = std::min(min_, value);
        max_ = std::max(max_, value);
        if (buffer_.size() >= kBufferSize) {
            compress();
        }
    }

    void merge(const TDigest& other) {
        for (const auto& c : other.centroids_) {
            buffer_.push_back(c);
        }
        for (const auto& c : other.buffer_) {
            buffer_.push_back(c);
        }
        min_ = std::min(min_, other.min_);
        max_ = std::max(max_, other.max_);
        compress();
    }

    /// The value at quantile q in [0, 1], interpolated between centroids.
    double quantile(double q) {
        compress();
        if (centroids_.empty()) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        double total = 0;
        for (const auto& c : centroids_) {
            total += c.weight;
        }
        double target = std::clamp(q, 0.0, 1.0) * total;
        if (target <= centroids_.front().weight / 2) {
            return interpolate(
                min_, centroids_.front().mean, target / (centroids_.front().weight / 2));
        }
        double seen = 0;
        for (size_t i = 0; i + 1 < centroids_.size(); ++i) {
            double left = seen + centroids_[i].weight / 2;
            double right = seen + centroids_[i].weight + centroids_[i + 1].weight / 2;
            if (target <= right) {
                return interpolate(
                    centroids_[i].mean, centroids_[i + 1].mean, (target - left) / (right - left));
            }
            seen += centroids_[i].weight;
        }
        double last_half = centroids_.back().weight / 2;
        return interpolate(
            centroids_.back().mean, max_, (target - (total - last_half)) / last_half);
    }

    struct Centroid {
        double mean;
        double weight;
        static auto fields(auto& self) { return std::tie(self.mean, self.weight); }
    };
    /// For checkpoints.
    static auto fields(auto& self) {
        return std::tie(self.centroids_, self.buffer_, self.min_, self.max_);
    }

private:
    static constexpr size_t kBufferSize = 512;

    static double interpolate(double a, double b, double t) {
        return a + (b - a) * std::clamp(t, 0.0, 1.0);
    }

    /// The scale function k1: centroids near q = 0 and 1 hold few points, in the middle many.
    static double k(double q) {
        return kCompression / (2 * std::numbers::pi) * std::asin(2 * q - 1);
    }
    static double k_inverse(double k_value) {
        double clamped = std::clamp(k_value, -kCompression / 4, kCompression / 4);
        return (std::sin(clamped * 2 * std::numbers::pi / kCompression) + 1) / 2;
    }

    void compress() {
        if (buffer_.empty()) {
            return;
        }
        buffer_.insert(buffer_.end(), centroids_.begin(), centroids_.end());
        std::sort(buffer_.begin(), buffer_.end(), [](const Centroid& a, const Centroid& b) {
            return a.mean < b.mean;
        });
        double total = 0;
        for (const auto& c : buffer_) {
            total += c.weight;
        }
        centroids_.clear();
        Centroid current = buffer_.front();
        double before = 0;  // weight of the centroids already closed
        double limit = total * k_inverse(k(0) + 1);
        for (size_t i = 1; i < buffer_.size(); ++i) {
            const Centroid& next = buffer_[i];
            if (before + current.weight + next.weight <= limit) {
                double weight = current.weight + next.weight;
                current.mean += (next.mean - current.mean) * next.weight / weight;
                current.weight = weight;
            } else {
                before += current.weight;
                centroids_.push_back(current);
                limit = total * k_inverse(k(before / total) + 1);
                current = next;
            }
        }
        centroids_.push_back(current);
        buffer_.clear();
    }

    std::vector<Centroid> centroids_;  // by mean
    std::vector<Centroid> buffer_;     // added since the last compression
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

/// APPROX_PERCENTILE(field, q): e.g. ApproxPercentile{&Bid::price, 0.99}.
template <class F>
struct ApproxPercentile {
    F field;
    double q;

    template <class T>
    TDigest init() const {
        return {};
    }
    template <class T>
    void add(TDigest& acc, const T& r) const {
        acc.add(static_cast<double>(std::invoke(field, r)));
    }
    void merge(TDigest& acc, const TDigest& other) const { acc.merge(other); }
    double result(const TDigest& acc) const {
        TDigest copy = acc;  // quantile() compresses
        return copy.quantile(q);
    }
};
template <class F>
ApproxPercentile(F, double) -> ApproxPercentile<F>;

}  // namespace shardflow::ops
