-- Runtime errors of rules and scripts (spec §8.6, §13.3; docs/runtime-interface.md §9):
-- the message handler that records where an error happened, the mapping from a Lua
-- error to an EventScript line and column, and the log text.

local M = {}

-- Generated chunks are loaded with chunk name "=er:<n>" (RI §2.3); Lua reports them
-- as "er:<n>:<lua line>:". items[n] is the compiled item of chunk n (an array, so a
-- rule costs one slot here).
local items = {}

local function item_of_source(source)
  if source:byte(1) ~= 61 or source:sub(2, 4) ~= "er:" then return nil end  -- "=er:"
  return items[tonumber(source:sub(5))]
end

-- The kind of line-map mark (RI §9.2) that a Lua message points at.
local function mark_kind(message)
  if message:find("attempt to perform arithmetic", 1, true) or message:find("has no integer representation", 1, true)
      or message:find("attempt to unm", 1, true) then
    return "arithmetic"
  end
  -- Arithmetic on a string that does not convert fails in the string metamethods
  -- (lstrlib's trymt): "attempt to add a 'string' with a 'number'".
  if message:find("^attempt to %a+ a '%a+' with a '%a+'") then return "arithmetic" end
  if message:find("attempt to compare", 1, true) then return "comparison" end
  if message:find("attempt to call", 1, true) then return "call" end
  if message:find("attempt to index", 1, true) then return "index" end
  if message:find("'for' ", 1, true) then return "loop" end
  return nil
end

-- Any error value as text. A table without __tostring is shown in canonical form;
-- a failing __tostring does not hide the error.
local function error_text(err)
  if type(err) == "string" then return err end
  local ok, text = pcall(tostring, err)
  if ok and type(text) == "string" and (type(err) ~= "table" or getmetatable(err) ~= nil) then return text end
  if type(err) == "table" then
    local util = require("er.util")
    local shown_ok, shown = pcall(util.canonical, err)
    if shown_ok and getmetatable(err) == nil then return "error object: " .. shown end
    return "error object is a table (its __tostring failed: " .. tostring(not ok and text or "no text") .. ")"
  end
  return "error object is a " .. type(err) .. " value"
end
M.error_text = error_text

-- Strips Lua's "<chunk>:<line>: " prefix and a trailing variable annotation (RI §9.4).
local function clean_message(message)
  -- An error that crossed coroutine.wrap carries one prefix per level it crossed.
  local stripped, count = message:gsub("^er:%d+:%d+: ", "", 1)
  while count > 0 do
    local again
    again, count = stripped:gsub("^er:%d+:%d+: ", "", 1)
    if count > 0 then stripped = again end
  end
  if stripped == message then stripped = message:gsub("^[^\n:]*:%d+: ", "", 1) end
  message = stripped
  message = message:gsub(" %((%a+) '[^']*'%)$", function(kind)
    if kind == "local" or kind == "global" or kind == "field" or kind == "upvalue"
        or kind == "constant" or kind == "method" then
      return ""
    end
  end)
  return message
end

-- Line-map lookups of one item, built on its first error: by_line[lua line][kind] =
-- {line, col} (first mark of that kind), and the statement marks in Lua-line order.
local function marks_of(item)
  if item.marks then return item.marks end
  local map = {}  -- The compiler's text "lua_line kind line col ...", kept by er.rules.
  for word in (item.line_map_text or ""):gmatch("%S+") do map[#map + 1] = tonumber(word) or word end
  local by_line, statements = {}, {}
  for i = 1, #map, 4 do
    local lua_line, kind = map[i], map[i + 1]
    local at = by_line[lua_line] or {}
    by_line[lua_line] = at
    if at[kind] == nil then at[kind] = {map[i + 2], map[i + 3]} end
    if kind == "statement" then statements[#statements + 1] = {lua_line, map[i + 2], map[i + 3]} end
  end
  item.marks = {by_line = by_line, statements = statements}
  return item.marks
end

-- The EventScript position of a Lua error on `lua_line` of `item`.
local function position_on_line(item, lua_line, kind)
  local marks = marks_of(item)
  local at = marks.by_line[lua_line]
  if kind == "index" then
    -- Lua reports an index error where the value is used, which may be a later line of
    -- the same statement: take the nearest index mark at or above, not above the
    -- statement's first line.
    local statement_line = 0
    for _, s in ipairs(marks.statements) do
      if s[1] <= lua_line then statement_line = s[1] else break end
    end
    for l = lua_line, statement_line, -1 do
      local m = marks.by_line[l]
      if m and m.index then return m.index[1], m.index[2] end
    end
  elseif at and kind and at[kind] then
    return at[kind][1], at[kind][2]
  end
  if at and at.call and kind == nil then return at.call[1], at.call[2] end
  local best
  for _, s in ipairs(marks.statements) do
    if s[1] <= lua_line then best = s else break end
  end
  if best then return best[2], best[3] end
  return item.line, item.col, true  -- The item's own position: no mark found.
end

--- Registers a loaded chunk so errors in it can be located.
function M.register(chunk, item) items[chunk] = item end
function M.unregister(chunk) items[chunk] = nil end

--- The xpcall message handler of runs: records the error and the innermost frame of
--- a generated chunk while the stack is still there. Cheap enough to run on every
--- error; the mapping itself happens later in M.locate.
local Record = {__name = "error record"}

--- True for what M.handler returns (an error record), false for a raw error value.
function M.is_record(x) return getmetatable(x) == Record end

--- A raw error value (what a protected call returned without M.handler, such as Lua's
--- "not enough memory", which never reaches a message handler) as a record.
function M.record_of(x)
  if getmetatable(x) == Record then return x end
  return setmetatable({err = x}, Record)
end

function M.handler(err)
  if err == M.CANCEL then return err end
  local record = setmetatable({err = err}, Record)
  for level = 2, 200 do
    local info = debug.getinfo(level, "Sl")
    if info == nil then break end
    local item = item_of_source(info.source)
    if item then
      record.item, record.lua_line = item, info.currentline
      break
    end
    -- A Lua function that is not generated code failed or called what failed: the
    -- rule's failing operation is the call that led there (RI §9.3 step 3).
    if info.what == "Lua" then record.in_callee = true end
  end
  return record
end

-- What a memory error says about the heap limit, when the host set one.
local function memory_note()
  local ok, total = pcall(function() return rtos.meminfo("lua") end)
  if ok and math.type(total) == "integer" and total > 0 then
    return string.format(" (the Lua heap limit of %d MB is reached)", total // (1024 * 1024))
  end
  return ""
end

--- Maps a record from M.handler to {item=, line=, col=, message=}; `default_item` is
--- used when no generated code is on the stack.
function M.locate(record, default_item)
  local err = record.err
  local item = record.item or default_item
  if type(err) == "table" and err.position ~= nil then
    local positions = item and item.positions
    if item and positions == nil and item.positions_text then  -- Packed by er.rules.
      positions = {}
      for word in item.positions_text:gmatch("%S+") do positions[#positions + 1] = tonumber(word) end
      item.positions = positions
    end
    local p = err.position
    if positions and positions[2 * p] then
      return {item = item, line = positions[2 * p - 1] + (item.line_shift or 0), col = positions[2 * p],
              message = error_text(err.message)}
    end
    return {item = item, line = item and item.line or 1, col = item and item.col or 1, message = error_text(err.message)}
  end
  local text
  if type(err) == "table" and getmetatable(err) == nil and type(err.message) == "string" then
    text = err.message
  else
    text = error_text(err)
  end
  local chunk, lua_line = text:match("^(er:%d+):(%d+): ")
  local at_item, at_line = item, record.lua_line
  local named = chunk and item_of_source("=" .. chunk)
  if named then at_item, at_line = named, tonumber(lua_line) end
  local message = clean_message(text)
  if message == "not enough memory" then message = message .. memory_note() end
  if at_item == nil then return {line = 1, col = 1, message = message} end
  local line, col = at_item.line, at_item.col
  local kind = mark_kind(message)
  if record.in_callee and not named then kind = "call" end
  if at_line then
    local own
    line, col, own = position_on_line(at_item, at_line, kind)
    -- A rule a reload kept moves with its file; its compiled positions do not.
    if not own then line = line + (at_item.line_shift or 0) end
  end
  return {item = at_item, line = line, col = col, message = message}
end

local format_diagnostic  -- native.format_diagnostic, set by M.set_formatter.

--- Sets the diagnostic formatter (native.format_diagnostic); er.engine calls it at boot.
function M.set_formatter(fn) format_diagnostic = fn end

--- The runtime error report (file:line:col, the message, the source line and a caret;
--- hostile text made safe) without the final "disabled" line: `prefix` is "[name] ".
function M.runtime_text(prefix, where)
  local item = where.item
  local file = item and item.file or "eval"
  local text = item and (item.text or item.source) or ""
  local block = format_diagnostic(file, text, where.line, where.col, where.message, "runtime error")
  return prefix .. block:gsub("\n$", "")
end

M.CANCEL = setmetatable({}, {__name = "cancelled run"})

return M
