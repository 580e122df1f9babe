# er_embed_lua(<target> <lua_dir> <function>): compiles every .lua file under <lua_dir>
# into <target> as a C++ table of (module name, source) pairs returned by
# er::<function>() (declared in rules/embedded_lua.h), so Lua runs without files on the
# device. "er/core.lua" becomes module "er.core". The generated file is rebuilt
# whenever a Lua file changes.
set(ER_EMBED_LUA_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedLuaScript.cmake)

function(er_embed_lua target lua_dir function)
  file(GLOB_RECURSE lua_files CONFIGURE_DEPENDS ${lua_dir}/*.lua)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_lua.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DLUA_DIR=${lua_dir} -DOUTPUT=${output} -DFUNCTION=${function}
            -P ${ER_EMBED_LUA_SCRIPT}
    DEPENDS ${lua_files} ${ER_EMBED_LUA_SCRIPT}
    COMMENT "Embedding the Lua modules of ${target}")
  target_sources(${target} PRIVATE ${output})
endfunction()
