# `cmake --install build --prefix P`, the CMake package and the Debian package (CPack), laid out as
# harness/include/spotcheck/install_layout.hpp expects: binaries find their data relative to themselves.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS spotcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET spot-launch)
  install(TARGETS spot-launch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(TARGETS spotcheck-fake RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/spotcheck)
install(PROGRAMS ${SPOTCHECK_BIN_DIR}/spotcheck-call DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/spotcheck)
install(FILES ${CMAKE_SOURCE_DIR}/share/worlds/default.json DESTINATION ${CMAKE_INSTALL_DATADIR}/spotcheck/worlds)
install(FILES ${SPOTCHECK_BUNDLED_CATALOG} DESTINATION ${CMAKE_INSTALL_DATADIR}/spotcheck/workloads)
install(FILES ${SPOTCHECK_SCHEMAS} DESTINATION ${CMAKE_INSTALL_DATADIR}/spotcheck/schema)
install(FILES ${SPOTCHECK_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(SPOTCHECK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/spotcheck)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/spotcheckConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/spotcheckConfig.cmake
  INSTALL_DESTINATION ${SPOTCHECK_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/spotcheckConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/spotcheckConfig.cmake ${CMAKE_BINARY_DIR}/cmake/spotcheckConfigVersion.cmake
  ${CMAKE_SOURCE_DIR}/cmake/spotcheckScenarios.cmake DESTINATION ${SPOTCHECK_CMAKE_DIR})

# The Debian package: `cpack -G DEB` in the build directory (scripts/package.sh). Binaries are stripped
# (the static fake carries 80 MB of debug information in the build tree).
set(CPACK_PACKAGE_NAME spotcheck)
set(CPACK_PACKAGE_VENDOR "spotcheck")
set(CPACK_PACKAGE_CONTACT "spotcheck maintainers <spotcheck@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "hermetic test harness for bash EC2 spot launchers (fake aws/ssh/scp/python)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# bubblewrap runs every sandbox; bash runs the launchers; the dynamic libraries the CLI links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "bubblewrap, bash")
include(CPack)
