-- er.rule_identity: how a rule is known across restarts and reloads
-- (docs/eventscript.md#rule-names-and-identity, DESIGN.md decision 13).
--
-- A named rule (`::morning_lights:: ...`) is known by its name. An unnamed rule is
-- known by its file and its normalized source: `<file>:<8 hex digits>`, the file as
-- the home names it (`20-lights.er`, without the folder) and the last 8 digits of the
-- compiler's source hash (comments and layout do not count). Identical unnamed rules
-- of one file are told apart by their order: `#2`, `#3`, ... Everything the engine
-- keeps per rule (the enabled flag, the error that disabled it) and the reload diff
-- are keyed by identity, never by the definition order that RULE<n> shows.
--
-- Plain functions, no engine state.

local M = {}

--- The file as a home names it: the last part of a path ("HOME/20-lights.er" ->
--- "20-lights.er"); "eval" for none.
function M.file_key(file)
  if type(file) ~= "string" or file == "" then return "eval" end
  return file:match("([^/]+)/*$") or file
end

--- The identity of an unnamed rule whose source hash (16 hex digits) is `hash`.
function M.unnamed(key, hash)
  return key .. ":" .. string.sub(hash or "", -8)
end

--- A counter of the unnamed identities of one file, giving the second and later rules
--- with the same source their `#n` suffix, in file order.
function M.counter()
  local seen = {}
  return function(identity)
    local count = (seen[identity] or 0) + 1
    seen[identity] = count
    if count == 1 then return identity end
    return identity .. "#" .. count
  end
end

--- The identities of the compiled items of one file, indexed like `items` (nil for
--- scripts).
function M.of_items(items, key)
  local count, out = M.counter(), {}
  for i, item in ipairs(items) do
    if item.kind == "rule" then
      out[i] = item.name or count(M.unnamed(key, item.source_hash))
    end
  end
  return out
end

--- A rule's source as the `defined:` line shows it: without its `::name::` label and
--- the blank and comment lines between the label and the rule.
function M.display_source(source)
  local rest = source:gsub("^::[%a_][%w_]*::", "", 1)
  while true do
    local trimmed = rest:gsub("^[ \t\r\n]+", "", 1)
    local after_comment = trimmed:match("^%-%-[^\n]*\n(.*)$")
    if after_comment == nil then return trimmed end
    rest = after_comment
  end
end

--- The first line of a runtime error report without the rule's "[name] " prefix: the
--- one line kept with a rule disabled by the error.
function M.error_line(text, name)
  local line = text:match("^[^\n]*")
  local prefix = "[" .. name .. "] "
  if line:sub(1, #prefix) == prefix then line = line:sub(#prefix + 1) end
  return line
end

return M
