# Retention (docs/retention.md): a run over many due visits on the server and on a tablet, and the
# cost of secure_delete on a save.
add_executable(bench_retention ${CMAKE_CURRENT_LIST_DIR}/bench_retention.cpp)
target_link_libraries(bench_retention PRIVATE liaison_store liaison_server_lib)
