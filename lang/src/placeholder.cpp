// Replaced by the lang sources.
namespace er { void lang_placeholder() {} }
