option(FUNCP_VALGRIND "Run tests labelled valgrind under valgrind memcheck" OFF)
find_program(VALGRIND_PROGRAM valgrind)

# The command prefix that runs a test binary under valgrind: any error or
# definite/indirect leak fails the test.
set(FUNCP_VALGRIND_COMMAND ${VALGRIND_PROGRAM} --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
    --track-origins=yes --quiet)

# funcp_unit_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
# A cmocka test linked against the core's objects, registered with ctest.
# Label "valgrind" marks a test for the valgrind run: configured with
# -DFUNCP_VALGRIND=ON, such tests run under valgrind memcheck.
function(funcp_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE funcp_static PkgConfig::CMOCKA ${T_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)
  if(FUNCP_VALGRIND AND VALGRIND_PROGRAM AND "valgrind" IN_LIST T_LABELS)
    add_test(NAME ${name} COMMAND ${FUNCP_VALGRIND_COMMAND} $<TARGET_FILE:${name}>)
  else()
    add_test(NAME ${name} COMMAND ${name})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "unit;${T_LABELS}"
    ENVIRONMENT "FUNCP_TEST_SOURCE_DIR=${PROJECT_SOURCE_DIR};FUNCP_TEST_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()

# Where tests keep what they download (the js-wasi toolchain through
# XDG_CACHE_HOME, npm's own cache): never the user's ~/.cache or ~/.npm.
# scripts/test.sh points every stage at one directory, so stages share it.
set(FUNCP_TEST_CACHE_DIR "${CMAKE_BINARY_DIR}/test-cache" CACHE PATH
    "Download cache of the tests (js-wasi toolchain, npm)")

# funcp_e2e_test(<name> <script> [LABELS ...])
# A shell test driving the real funcp binary (tests/e2e/lib.sh has helpers),
# with the tests' own caches.
function(funcp_e2e_test name script)
  cmake_parse_arguments(T "" "TIMEOUT" "LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND bash ${script})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "e2e;${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "FUNCP=${CMAKE_BINARY_DIR}/funcp;FUNCP_TEST_SOURCE_DIR=${PROJECT_SOURCE_DIR};FUNCP_TEST_BUILD_DIR=${CMAKE_BINARY_DIR};XDG_CACHE_HOME=${FUNCP_TEST_CACHE_DIR}/xdg;npm_config_cache=${FUNCP_TEST_CACHE_DIR}/npm")
endfunction()
