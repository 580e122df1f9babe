// Replaced by the port sources.
namespace luasys { void port_placeholder() {} }
