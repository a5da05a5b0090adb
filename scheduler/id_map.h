// A flat hash map from a 64-bit id to a 32-bit index (open addressing, linear
// probing, backward-shift deletion): 16 bytes per slot, no allocation per
// entry. Maps request ids and token ids to the scheduler's slots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace whoisq::scheduler {

// Any uint64_t key; values must not be kNone. A value type; not thread-safe.
class IdMap {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The value of key, or kNone.
  uint32_t Find(uint64_t key) const {
    if (size_ == 0) return kNone;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      const Cell& c = cells_[i];
      if (c.value == kNone) return kNone;
      if (c.key == key) return c.value;
    }
  }

  // Inserts key -> value; false (and no change) if key is present.
  bool Insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 10 > cells_.size() * 7) Grow();
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Cell& c = cells_[i];
      if (c.value == kNone) {
        c.key = key;
        c.value = value;
        ++size_;
        return true;
      }
      if (c.key == key) return false;
    }
  }

  // Removes key; false if absent.
  bool Erase(uint64_t key) {
    if (size_ == 0) return false;
    size_t i = Home(key);
    for (;; i = (i + 1) & mask_) {
      if (cells_[i].value == kNone) return false;
      if (cells_[i].key == key) break;
    }
    // Backward shift: pull later cells of the probe run into the hole.
    size_t hole = i;
    for (size_t j = (hole + 1) & mask_; cells_[j].value != kNone; j = (j + 1) & mask_) {
      size_t home = Home(cells_[j].key);
      // Movable if its home is not in (hole, j] (cyclically).
      bool in_range = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!in_range) {
        cells_[hole] = cells_[j];
        hole = j;
      }
    }
    cells_[hole].value = kNone;
    --size_;
    if (cells_.size() > kMinCells && size_ * 10 < cells_.size()) Rehash(cells_.size() / 4);
    return true;
  }

 private:
  struct Cell {
    uint64_t key = 0;
    uint32_t value = kNone;
  };
  static constexpr size_t kMinCells = 16;

  size_t Home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void Grow() { Rehash(cells_.empty() ? kMinCells : cells_.size() * 2); }
  void Rehash(size_t n) {
    std::vector<Cell> old;
    old.swap(cells_);
    cells_.assign(n, Cell{});
    mask_ = n - 1;
    shift_ = 64 - __builtin_ctzll(n);
    size_ = 0;
    for (const Cell& c : old) {
      if (c.value != kNone) Insert(c.key, c.value);
    }
  }

  std::vector<Cell> cells_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace whoisq::scheduler
