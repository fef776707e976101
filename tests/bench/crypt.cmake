# Encryption at rest: plaintext vs encrypted store side by side (docs/performance.md).
add_executable(bench_crypt bench_crypt.cpp)
target_link_libraries(bench_crypt PRIVATE liaison_domain liaison_platform)
