# funcp_plugin(<name> SOURCES ... [PKG_MODULES <pkg-config modules>...]
#              [PROGRAMS <programs needed at build time>...] [DATA_DIR <dir>])
#
# Declares the option FUNCP_PLUGIN_<NAME> (AUTO|ON|OFF). AUTO builds the
# plugin when its pkg-config modules are found; ON makes a missing one an
# error; OFF skips it. The plugin is a MODULE library named <name>.so put in
# the build tree's plugins/ directory and installed to the plugin dir, in the
# CPack component "plugin-<name>" so packagers can ship any subset.
function(funcp_plugin name)
  cmake_parse_arguments(P "" "DATA_DIR" "SOURCES;PKG_MODULES" ${ARGN})
  string(TOUPPER "${name}" upper)
  string(REPLACE "-" "_" upper "${upper}")
  set(option FUNCP_PLUGIN_${upper})
  set(${option} AUTO CACHE STRING "Build plugin ${name}: AUTO, ON or OFF")
  set_property(CACHE ${option} PROPERTY STRINGS AUTO ON OFF)
  # Accept CMake's usual spellings (on, TRUE, 1, no...) rather than quietly
  # treating them as AUTO; anything else is a configure error.
  string(TOUPPER "${${option}}" mode)
  if(mode MATCHES "^(ON|YES|Y|TRUE|1)$")
    set(mode ON)
  elseif(mode MATCHES "^(OFF|NO|N|FALSE|0)$")
    set(mode OFF)
  elseif(NOT mode STREQUAL "AUTO")
    message(FATAL_ERROR "plugin ${name}: ${option} is \"${${option}}\"; use AUTO, ON or OFF")
  endif()
  if(mode STREQUAL "OFF")
    message(STATUS "plugin ${name}: off")
    return()
  endif()
  set(libs "")
  foreach(mod IN LISTS P_PKG_MODULES)
    string(MAKE_C_IDENTIFIER "${name}_${mod}" var)
    pkg_check_modules(${var} QUIET IMPORTED_TARGET ${mod})
    if(NOT ${var}_FOUND)
      if(mode STREQUAL "ON")
        message(FATAL_ERROR "plugin ${name}: FUNCP_PLUGIN_${upper}=ON but ${mod} was not found")
      endif()
      message(STATUS "plugin ${name}: skipped (AUTO), ${mod} not found")
      return()
    endif()
    list(APPEND libs PkgConfig::${var})
  endforeach()
  add_library(${name} MODULE ${P_SOURCES})
  set_target_properties(${name} PROPERTIES PREFIX "" OUTPUT_NAME "${name}"
    LIBRARY_OUTPUT_DIRECTORY ${FUNCP_BUILD_PLUGIN_DIR})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/sdk/include)
  target_link_libraries(${name} PRIVATE ${libs})
  # Plugins reach funcp only through the host table: an undefined symbol is
  # a link error here rather than a crash at the first call (funcp loads
  # plugins with lazy binding).
  # (Not with sanitizers: clang leaves their runtime out of shared objects.)
  if(NOT FUNCP_SANITIZE)
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION ${FUNCP_PLUGIN_INSTALL_DIR}
          COMPONENT plugin-${name})
  if(P_DATA_DIR)
    install(DIRECTORY ${P_DATA_DIR}/ DESTINATION ${FUNCP_DATA_INSTALL_DIR}/${name}
            COMPONENT plugin-${name})
  endif()
  set_property(GLOBAL APPEND PROPERTY FUNCP_PLUGINS ${name})
  message(STATUS "plugin ${name}: on")
endfunction()
