# er_add_test_suite(<name> LIBS <targets...>): one GoogleTest executable from every
# *_test.cpp in the calling directory (one test file per module), registered with CTest.
function(er_add_test_suite name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()  # A part whose tests are not written yet.
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    ER_SOURCE_DIR="${PROJECT_SOURCE_DIR}" ER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  er_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "ER_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
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
