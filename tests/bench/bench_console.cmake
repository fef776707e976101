# The web console's API on a province-sized central database (docs/performance.md, "Web console").
add_executable(bench_console ${CMAKE_CURRENT_LIST_DIR}/bench_console.cpp)
target_link_libraries(bench_console PRIVATE liaison_server_lib)
