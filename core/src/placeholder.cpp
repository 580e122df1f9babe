// Replaced by the core sources.
namespace luasys { void core_placeholder() {} }
