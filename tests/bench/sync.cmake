# Sync benchmarks: bench_sync updown | load. Prints figures; not registered with ctest.
add_executable(bench_sync ${CMAKE_CURRENT_LIST_DIR}/sync_bench.cpp)
target_link_libraries(bench_sync PRIVATE liaison_client_sync liaison_store)
target_compile_definitions(bench_sync PRIVATE LIAISON_CENTRAL_BIN="$<TARGET_FILE:liaison-central>"
  LIAISON_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(bench_sync liaison-central)

# The HTTP listener under hostile clients: bench_http [SLOW_CONNECTIONS].
add_executable(bench_http ${CMAKE_CURRENT_LIST_DIR}/http_bench.cpp)
target_link_libraries(bench_http PRIVATE ZLIB::ZLIB)
target_compile_definitions(bench_http PRIVATE LIAISON_CENTRAL_BIN="$<TARGET_FILE:liaison-central>")
add_dependencies(bench_http liaison-central)
