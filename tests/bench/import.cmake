# Bulk import: bench_import [ROWS] [--dir DIR]. Prints figures; not registered with ctest.
add_executable(bench_import ${CMAKE_CURRENT_LIST_DIR}/bench_import.cpp)
target_link_libraries(bench_import PRIVATE liaison_cli)
