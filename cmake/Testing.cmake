# er_add_test_suite(<part>_tests [NO_DISCOVERY] LIBS <targets...>): one GoogleTest
# executable from every *_test.cpp in the calling directory (one test file per module),
# registered with CTest: each gtest case is a CTest test of the same name,
# <part>_<module>.<test>, labelled <part> (docs/testing.md). With NO_DISCOVERY the
# folder registers its cases itself, by name (er_add_gtest_case).
function(er_add_test_suite name)
  cmake_parse_arguments(ARG "NO_DISCOVERY" "" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()  # A part whose tests are not written yet.
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    ER_SOURCE_DIR="${PROJECT_SOURCE_DIR}" ER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  er_set_warnings(${name})
  if(NOT ARG_NO_DISCOVERY)
    string(REGEX REPLACE "_tests$" "" part ${name})
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
      PROPERTIES ENVIRONMENT "ER_SOURCE_DIR=${PROJECT_SOURCE_DIR}" LABELS ${part})
  endif()
endfunction()

# er_add_gtest_case(<part>/<name> <executable> <gtest case>): one CTest test, named and
# labelled as the folder-style tests are, that runs one case of a program made by
# er_add_test_suite(... NO_DISCOVERY). It passes only if that case ran and passed (a
# filter that matches nothing fails), and is skipped when the case skips itself.
function(er_add_gtest_case name executable gtest_case)
  string(REGEX REPLACE "/.*" "" part ${name})
  add_test(NAME ${name} COMMAND ${executable} --gtest_filter=${gtest_case})
  set_tests_properties(${name} PROPERTIES
    LABELS ${part}
    ENVIRONMENT "ER_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    PASS_REGULAR_EXPRESSION "\\[  PASSED  \\] 1 test\\."
    SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\] 1 test")
endfunction()

# Adds every subdirectory of `dir` that has a CMakeLists.txt, so parts can add their
# test folders without editing a shared list.
function(er_add_subdirectories dir)
  file(GLOB children LIST_DIRECTORIES true ${dir}/*)
  foreach(child ${children})
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
