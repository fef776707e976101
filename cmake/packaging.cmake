# Debian packages, one per component (docs/packaging.md; built by scripts/package.sh):
#   liaison          the tablet app and command line, its assets, desktop entries and icons
#   liaison-central  the server, its systemd unit, its config file and maintainer scripts
# The version is the project's (CMakeLists.txt); the Debian revision is CPACK_DEBIAN_PACKAGE_RELEASE.

set(LIAISON_PKG ${PROJECT_SOURCE_DIR}/packaging)
set(LIAISON_DEB_REVISION 1)
set(LIAISON_DEB_VERSION ${PROJECT_VERSION}-${LIAISON_DEB_REVISION})

# Tablet: desktop entries, icons in hicolor sizes.
install(FILES ${LIAISON_PKG}/tablet/liaison.desktop ${LIAISON_PKG}/tablet/liaison-kiosk.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT liaison)
foreach(size 48 64 128 256)
  install(FILES ${LIAISON_PKG}/icons/liaison-${size}.png RENAME liaison.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps COMPONENT liaison)
endforeach()
install(FILES ${LIAISON_PKG}/icons/liaison.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT liaison)

# Server: the unit where bookworm's systemd looks, the config under /etc (a conffile).
install(FILES ${LIAISON_PKG}/central/liaison-central.service DESTINATION /lib/systemd/system COMPONENT central)
install(FILES ${LIAISON_PKG}/central/liaison-central.conf DESTINATION /etc/liaison-central COMPONENT central)
install(FILES docs/server.md docs/packaging.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/liaison-central
        COMPONENT central)

# Each package's copyright, compressed changelog and manual page, as Debian's policy asks.
configure_file(${LIAISON_PKG}/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog.Debian @ONLY)
execute_process(COMMAND gzip -9nc ${CMAKE_BINARY_DIR}/packaging/changelog.Debian
                OUTPUT_FILE ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz)
foreach(page liaison.1 liaison-central.8)
  execute_process(COMMAND gzip -9nc ${LIAISON_PKG}/man/${page} OUTPUT_FILE ${CMAKE_BINARY_DIR}/packaging/${page}.gz)
endforeach()
install(FILES ${CMAKE_BINARY_DIR}/packaging/liaison.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT liaison)
install(FILES ${CMAKE_BINARY_DIR}/packaging/liaison-central.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8
        COMPONENT central)
foreach(comp liaison central)
  set(pkg liaison)
  if(comp STREQUAL "central")
    set(pkg liaison-central)
  endif()
  install(FILES ${LIAISON_PKG}/copyright ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${comp})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME liaison)
set(CPACK_PACKAGE_VENDOR "Liaison developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/dist)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL liaison central)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${LIAISON_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Liaison developers <liaison-dev@lists.liaison.example.org>")
set(CPACK_DEBIAN_PACKAGE_SOURCE liaison)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()

set(CPACK_DEBIAN_LIAISON_PACKAGE_NAME liaison)
set(CPACK_DEBIAN_LIAISON_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_LIAISON_PACKAGE_DEPENDS "fonts-noto-cjk, fonts-dejavu-core")
set(CPACK_DEBIAN_LIAISON_DESCRIPTION "offline-first app of the deputies' liaison stations
Liaison records the visits of voters to a people's congress deputies'
liaison station (人大代表联络站): who came, how many, which deputies received
them, the topic and how it was handled. Suggestions become cases that follow
交办, 办理, 反馈 and 测评. Everything works offline against a local store and
syncs with the central server when there is a network.

The package holds the tablet app (SDL2), its kiosk mode for voters' self
check-in, and the command line `liaison`.")

set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME liaison-central)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SECTION net)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_EXTRA
    ${LIAISON_PKG}/central/postinst ${LIAISON_PKG}/central/prerm ${LIAISON_PKG}/central/postrm
    ${LIAISON_PKG}/central/conffiles)
set(CPACK_DEBIAN_CENTRAL_DESCRIPTION "central server of the deputies' liaison stations
liaison-central is where the stations' tablets sync: it keeps every
station's visits, cases and reference data, merges concurrent edits field by
field, and serves the administration API.

The package runs it as the systemd service liaison-central under its own
system user, with its database in /var/lib/liaison-central and its options
in /etc/liaison-central/liaison-central.conf.")

include(CPack)
