#pragma once
// Measures, as Lua code is written token by token, how much of two hard Lua limits the
// code will use once loaded: parser nesting (about 200 C levels, LUAI_MAXCCALLS, else
// "C stack overflow") and registers per function (255, MAXREGS, else "function or
// expression needs too many registers"). The code generator reads the maxima and
// reports a diagnostic instead of emitting Lua that cannot load. The measures are
// deliberately a little pessimistic; lang_lua_limits_test checks them against Lua.

#include <cstdint>
#include <vector>

#include "common/location.h"

namespace er::lang {

class LuaMeter {
 public:
  /// What opened a nesting level.
  enum class Open : std::uint8_t {
    bracket,  ///< ( [ : holds a register for what it builds and one per value.
    table,    ///< { : the same, but Lua stores the items every 50 values.
    block,    ///< do, then, repeat: one level for its statements.
    function, ///< function: three levels (its expression, statements and theirs); own registers.
  };

  void open(Open kind) {
    frames_.push_back(Frame{chain_, pending_, locals_, kind, slots_for(kind)});
    chain_ = 0;
    depth_ += weight(kind);
    note_depth();
    if (kind == Open::function) pending_ = 0;
    if (kind == Open::bracket || kind == Open::table) {
      ++pending_;
      note_registers();
    }
  }
  void close() {
    if (frames_.empty()) return;
    const Frame frame = frames_.back();
    frames_.pop_back();
    depth_ -= weight(frame.kind) + chain_;
    chain_ = frame.chain;
    pending_ = frame.pending;
    if (frame.kind == Open::function) locals_ = frame.locals;
  }
  /// A prefix operator or a right-associative `..`/`^`: Lua parses what follows
  /// recursively, one level each, until the chain ends.
  void chain() {
    ++chain_;
    ++depth_;
    note_depth();
  }
  void end_chain() {
    depth_ -= chain_;
    chain_ = 0;
  }
  /// A ',' or ';': the value before it stays in a register of the innermost bracket.
  void separator() {
    end_chain();
    if (frames_.empty() || frames_.back().slots == 0) return;
    --frames_.back().slots;
    ++pending_;
    note_registers();
  }
  /// The locals in scope in the current function (each holds a register).
  void set_locals(std::uint32_t count) {
    locals_ = count;
    note_registers();
  }
  /// Where the next maximum is attributed (the source position of the latest mark).
  void set_position(common::Position at) { position_ = at; }

  [[nodiscard]] std::uint32_t max_depth() const { return max_depth_; }
  [[nodiscard]] common::Position max_depth_at() const { return max_depth_at_; }
  [[nodiscard]] std::uint32_t max_registers() const { return max_registers_; }
  [[nodiscard]] common::Position max_registers_at() const { return max_registers_at_; }

  /// Forgets everything (for the next chunk), keeping the frame storage.
  void reset() {
    frames_.clear();
    depth_ = chain_ = pending_ = locals_ = 0;
    position_ = common::Position{};
    max_depth_ = max_registers_ = 0;
    max_depth_at_ = max_registers_at_ = common::Position{};
  }

 private:
  struct Frame {
    std::uint32_t chain = 0;    // The enclosing level's chain.
    std::uint32_t pending = 0;  // The enclosing level's registers in use.
    std::uint32_t locals = 0;   // The enclosing function's locals.
    Open kind = Open::bracket;
    std::uint32_t slots = 0;    // Values this level may still hold in registers.
  };

  static std::uint32_t weight(Open kind) { return kind == Open::function ? 3U : 1U; }
  static std::uint32_t slots_for(Open kind) {
    if (kind == Open::table) return 50;
    return kind == Open::bracket ? 0xFFFFFFFFU : 0U;
  }
  void note_depth() {
    if (depth_ <= max_depth_) return;
    max_depth_ = depth_;
    max_depth_at_ = position_;
  }
  void note_registers() {
    const std::uint32_t used = locals_ + pending_;
    if (used <= max_registers_) return;
    max_registers_ = used;
    max_registers_at_ = position_;
  }

  std::vector<Frame> frames_;
  std::uint32_t depth_ = 0;
  std::uint32_t chain_ = 0;
  std::uint32_t pending_ = 0;
  std::uint32_t locals_ = 0;
  common::Position position_;
  std::uint32_t max_depth_ = 0;
  common::Position max_depth_at_;
  std::uint32_t max_registers_ = 0;
  common::Position max_registers_at_;
};

}  // namespace er::lang
