// Replaced by the luabind sources.
namespace luasys { void luabind_placeholder() {} }
