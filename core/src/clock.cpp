// The virtual and the real loop clock.

#include "core/clock.h"

#include "core/port.h"

namespace luasys {

// ---- VirtualClock ----

// With a deadline the idle loop has nothing to wait for in real time, so time jumps.
// Without one, only a post from another thread (a live producer) or a stop request
// can bring more work, so the port blocks until it is woken.
void VirtualClock::idle_until(Millis deadline, Port& port) {
  if (deadline == kForever) {
    port.wait_until(kForever);
    return;
  }
  advance_to(deadline);
}

void VirtualClock::advance_to(Millis t) {
  if (t > now_) now_ = t;
}

// ---- RealClock ----

RealClock::RealClock(Port& port) : port_(port), origin_(port.monotonic_ms()) {}

Millis RealClock::now() const { return port_.monotonic_ms() - origin_; }

std::int64_t RealClock::wall_ms() const { return port_.wall_ms(); }

// Loop time is the port's monotonic time shifted by the origin, so the deadline is
// shifted back before it is handed to the port (kForever stays kForever).
void RealClock::idle_until(Millis deadline, Port& port) {
  port.wait_until(deadline == kForever ? kForever : saturating_add(deadline, origin_));
}

}  // namespace luasys
