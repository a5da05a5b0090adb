# Scheduler core at scale: 10,000 servers, 1,000,000 queued requests.
add_executable(scheduler_bench ${CMAKE_CURRENT_LIST_DIR}/scheduler_bench.cc)
target_link_libraries(scheduler_bench PRIVATE whoisq::scheduler benchmark::benchmark)
