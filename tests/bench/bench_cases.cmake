# Case workflow, figures and export on a large station (client/store/cases, stats).
add_executable(bench_cases ${CMAKE_CURRENT_LIST_DIR}/bench_cases.cpp)
target_link_libraries(bench_cases PRIVATE liaison_store)
