# Cross build for arm64 (aarch64) with Debian's multiarch cross toolchain (docs/packaging.md):
#   scripts/install-deps.sh --arm64
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake
# Compilers from crossbuild-essential-arm64, target libraries from the :arm64 -dev packages in
# /usr/lib/aarch64-linux-gnu, build tools (python3, pkg-config) from the host. ctest runs the
# arm64 test executables under qemu-user-static.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(LIAISON_TARGET_TRIPLET aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${LIAISON_TARGET_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${LIAISON_TARGET_TRIPLET}-g++)
# The compilers report the multiarch directory themselves; set it anyway, so that find_library
# and find_package look in /usr/lib/aarch64-linux-gnu and never in the host's x86_64 one.
set(CMAKE_LIBRARY_ARCHITECTURE ${LIAISON_TARGET_TRIPLET})

# Target headers and libraries: the multiarch directories under /usr, plus the cross libc in
# /usr/aarch64-linux-gnu. Programs (python3 for the check_layers test) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${LIAISON_TARGET_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Never the host's libraries, even through a path a package hands over.
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)

# pkg-config reads the arm64 .pc files only (Debian's aarch64-linux-gnu-pkg-config is pkgconf
# with that personality; the environment says the same for a plain pkg-config).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${LIAISON_TARGET_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
find_program(LIAISON_CROSS_PKG_CONFIG ${LIAISON_TARGET_TRIPLET}-pkg-config)
if(LIAISON_CROSS_PKG_CONFIG)
  set(PKG_CONFIG_EXECUTABLE ${LIAISON_CROSS_PKG_CONFIG} CACHE FILEPATH "pkg-config for arm64")
endif()

# ctest (and try_run) run arm64 executables under user-mode emulation. The ELF interpreter is
# /lib/ld-linux-aarch64.so.1 from libc6:arm64 (installed with the :arm64 -dev packages), so the
# loader and libc come from the same package as the libraries; without libc6:arm64, qemu takes
# them from the cross toolchain's copy in /usr/aarch64-linux-gnu (-L).
find_program(LIAISON_QEMU_AARCH64 qemu-aarch64-static qemu-aarch64)
if(LIAISON_QEMU_AARCH64)
  if(EXISTS /lib/ld-linux-aarch64.so.1)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${LIAISON_QEMU_AARCH64})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${LIAISON_QEMU_AARCH64} -L /usr/${LIAISON_TARGET_TRIPLET})
  endif()
endif()
