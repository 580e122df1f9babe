-- er.trace_explain: what a trace record means, as data (docs/traces.md). Pure
-- functions of a rule's term list (the descriptor field `terms`, written by the
-- compiler: codegen_terms.cpp) and a record of er.trace.
--
--   tree(packed)                       the term list, indexed: kind, parent, text, at, top
--   can_suppress(tree)                 the rule has since or a gate modifier
--   suppression(tree, falsy, n)        "since", "cooldown", "every", "first_in" or nil
--   data(tree, record, NIL)            a self-contained record (texts, not term ids), as
--                                      stored, served by the API and read by `why`

local util = require("er.util")

local M = {}

local GATES = {cooldown = true, every = true, first_in = true}

-- The compiler's packed term list (codegen_terms.cpp): per term
-- "<kind> <parent> <line> <col> <end_line> <end_col> <length>:<text>".
local function unpack_terms(packed)
  local flat, pos = {}, 1
  while pos <= #packed do
    local kind, parent, line, col, length, body = packed:match("^(%a[%w_]*) (%d+) (%d+) (%d+) %d+ %d+ (%d+):()", pos)
    if kind == nil then break end
    length = tonumber(length)
    flat[#flat + 1] = {kind, tonumber(parent), tonumber(line), tonumber(col), 0, 0, packed:sub(body, body + length - 1)}
    pos = body + length
  end
  return flat
end

--- The term list (packed by the compiler) as parallel arrays; top[k] is k's
--- top-level ancestor.
function M.tree(packed)
  local flat = type(packed) == "string" and unpack_terms(packed) or packed
  local t = {kind = {}, parent = {}, text = {}, at = {}, top = {}, n = #flat}
  for k, term in ipairs(flat) do
    t.kind[k], t.parent[k], t.text[k] = term[1], term[2], term[7]
    t.at[k] = term[3] .. ":" .. term[4]
    local up = k
    while t.parent[up] ~= 0 do up = t.parent[up] end
    t.top[k] = up
  end
  return t
end

-- The ancestor of k whose parent is `p` (k itself when its parent is p), or nil.
local function child_under(tree, k, p)
  while k ~= 0 do
    if tree.parent[k] == p then return k end
    k = tree.parent[k]
  end
  return nil
end

-- The parts of term p that were false (of the first n false terms), each once, in
-- order: for each false term below p, the child of p it lies under. Reads are values,
-- not parts.
local function falsy_under(tree, falsy, n, p)
  local out, seen = {}, {}
  for i = 1, n do
    local k = falsy[i]
    local part = k ~= p and tree.kind[k] ~= "read" and child_under(tree, k, p)
    if part and not seen[part] then
      seen[part] = true
      out[#out + 1] = part
    end
  end
  return out
end

-- The top-level term that made the condition false: the last false term's top-level
-- ancestor (`&` stops at the first false part; gates come last).
local function culprit(tree, falsy, n)
  if tree.n == 0 then return nil end
  for i = n, 1, -1 do
    if tree.kind[falsy[i]] ~= "read" then return tree.top[falsy[i]] end
  end
  return nil
end

--- Whether the rule has a modifier that can suppress a run (since, gates): rules
--- without one skip M.suppression.
function M.can_suppress(tree)
  for k = 1, tree.n do
    local kind = tree.kind[k]
    if kind == "since" or GATES[kind] then return true end
  end
  return false
end

--- Why a false evaluation did not run, when a modifier (not the condition) said so.
function M.suppression(tree, falsy, n)
  local k = culprit(tree, falsy, n)
  if k == nil then return nil end
  local kind = tree.kind[k]
  if GATES[kind] then return kind end
  if kind == "since" and #falsy_under(tree, falsy, n, k) == 0 then return "since" end
  return nil
end

local function quoted(tree, k) return "`" .. tree.text[k] .. "`" end

local function quoted_list(tree, ids)
  local parts = {}
  for i, k in ipairs(ids) do parts[i] = quoted(tree, k) end
  return table.concat(parts, ", ")
end

-- The term that made the condition false and a sentence on it.
local function false_term(tree, falsy, n)
  local k = culprit(tree, falsy, n)
  if k == nil then return nil, nil end
  local kind = tree.kind[k]
  if kind == "since" then
    local under = falsy_under(tree, falsy, n, k)
    if #under > 0 then k, kind = under[#under], tree.kind[under[#under]] end
  end
  if kind == "any" then
    return k, quoted(tree, k) .. " was false: " .. quoted_list(tree, falsy_under(tree, falsy, n, k)) .. " each false"
  end
  if kind == "true_for" or kind == "once" then
    local under = falsy_under(tree, falsy, n, k)
    if #under > 0 then return k, quoted(tree, k) .. " was false because " .. quoted(tree, under[#under]) .. " was false" end
    if kind == "true_for" then return k, quoted(tree, k) .. " was still pending (its condition holds, not yet for long enough)" end
    return k, quoted(tree, k) .. " was false (its condition was already true)"
  end
  if kind == "since" then return k, quoted(tree, k) .. " was still waiting" end
  return k, quoted(tree, k) .. " was false"
end

-- A value as data: tables and other non-JSON values become their canonical text.
local function plain(v, NIL)
  if v == NIL then return nil end
  local tv = type(v)
  if tv == "number" or tv == "string" or tv == "boolean" or v == nil then return v end
  local ok, text = pcall(util.canonical, v)
  return ok and text or tostring(v)
end

local function trigger_of(ev, NIL)
  if type(ev) ~= "table" then return {type = "none"} end
  local t = {type = tostring(ev.type)}
  if ev.type == "device" then
    t.id, t.property = plain(ev.id, NIL), ev.property
    t.old, t.new = plain(ev.old, NIL), plain(ev.value, NIL)
  elseif ev.type == "global" or ev.type == "variable" then
    t.name, t.old, t.new = ev.name, plain(ev.old, NIL), plain(ev.value, NIL)
  end
  return t
end

local function values_of(tree, values, NIL)
  local out = {}
  for k = 1, tree.n do
    local v = values[k]
    if v ~= nil then out[#out + 1] = {term = tree.text[k], kind = tree.kind[k], value = plain(v, NIL)} end
  end
  return out
end

local function actions_of(actions, NIL)
  local out = {}
  for i, a in ipairs(actions) do
    if a.wait then out[i] = {wait = a.wait, at = a.at}
    elseif a.resumed then out[i] = {resumed = true, at = a.at}
    else
      local args = {}
      for j, v in ipairs(a.args or {}) do args[j] = plain(v, NIL) end
      out[i] = {device = plain(a.id, NIL), action = a.action, args = args}
    end
  end
  return out
end

--- A record as self-contained data (term texts instead of ids). Only the fields of
--- the record's outcome are read: a reused record keeps stale fields of other outcomes.
function M.data(tree, rec, NIL)
  local outcome = rec.outcome
  local d = {at = rec.at, seq = rec.seq, outcome = outcome, trigger = trigger_of(rec.event, NIL),
             waits = rec.detached and rec.waits or 0}
  if outcome == "false" or outcome == "suppressed" then
    local k, detail = false_term(tree, rec.falsy, rec.nfalse)
    if k then d.term, d.term_at, d.detail = tree.text[k], tree.at[k], detail end
  end
  if outcome == "suppressed" or outcome == "cancelled" then d.reason = rec.reason or nil end
  if outcome == "error" then d.error = rec.error or nil end
  if outcome == "ran" and rec.result ~= nil then d.result = plain(rec.result, NIL) end
  if rec.full then
    d.values = values_of(tree, rec.values or {}, NIL)
    d.actions = actions_of(rec.actions or {}, NIL)
  end
  return d
end

return M
