# CPack: Debian packages per install component, so a distribution can ship
# funcp with any subset of plugins.
#   funcp                   component core: bin/funcp, libfuncp, the network module
#   funcp-dev               component sdk: plugin.h, funcp-plugin.pc, CMake config
#   funcp-plugin-<name>     component plugin-<name>: one plugin (needs funcp)
# `cpack -G DEB` in the build directory writes them all.
set(CPACK_PACKAGE_NAME funcp)
set(CPACK_PACKAGE_VENDOR "funcp")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "funcp maintainers <funcp@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Library dependencies come from dpkg-shlibdeps; libfuncp is our own.
find_program(FUNCP_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(FUNCP_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/core)
endif()
set(funcp_exact "funcp (= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_CORE_PACKAGE_NAME funcp)
set(CPACK_COMPONENT_CORE_DESCRIPTION
  "WebAssembly functions from create to Kubernetes: the funcp host.\n"
  "Runtimes, builders and deployers come as separate plugin packages.")

set(CPACK_DEBIAN_SDK_PACKAGE_NAME funcp-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "${funcp_exact}")
set(CPACK_COMPONENT_SDK_DESCRIPTION
  "funcp plugin SDK: plugin.h, pkg-config file funcp-plugin and find_package(funcp).")

set(components core sdk)
get_property(funcp_plugins GLOBAL PROPERTY FUNCP_PLUGINS)
foreach(plugin IN LISTS funcp_plugins)
  string(TOUPPER "plugin-${plugin}" upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_NAME "funcp-plugin-${plugin}")
  set(CPACK_DEBIAN_${upper}_PACKAGE_DEPENDS "${funcp_exact}")
  set(CPACK_COMPONENT_${upper}_DESCRIPTION "funcp plugin ${plugin}")
  list(APPEND components plugin-${plugin})
endforeach()
set(CPACK_COMPONENTS_ALL ${components})

include(CPack)
