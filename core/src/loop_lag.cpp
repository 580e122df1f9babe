// LoopLag::summary: nearest-rank percentiles over a sorted copy of the recent samples.

#include "core/loop_lag.h"

#include <algorithm>

namespace luasys {

namespace {

// The nearest-rank percentile `per_mille`/1000 of `sorted` (not empty): the smallest
// sample that at least that share of the samples does not exceed.
Millis nearest_rank(const std::uint32_t* sorted, std::size_t n, std::size_t per_mille) {
  std::size_t rank = (per_mille * n + 999) / 1000;  // ceil(p * n), 1-based
  if (rank == 0) rank = 1;
  return static_cast<Millis>(sorted[rank - 1]);
}

}  // namespace

LagSummary LoopLag::summary() const {
  LagSummary out;
  out.count = count_;
  out.sum_ms = sum_ms_;
  out.window = static_cast<std::size_t>(count_ < kWindow ? count_ : kWindow);
  if (out.window == 0) return out;
  std::array<std::uint32_t, kWindow> sorted = ring_;
  std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(out.window));
  out.p50 = nearest_rank(sorted.data(), out.window, 500);
  out.p99 = nearest_rank(sorted.data(), out.window, 990);
  out.max = static_cast<Millis>(sorted[out.window - 1]);
  return out;
}

}  // namespace luasys
