# rdap_client_bench: sequential HTTPS and HTTP GETs against an in-process
# simulated RDAP server on loopback, over one keep-alive connection vs. a new
# connection per GET. Prints requests/s and the ratio; asserts nothing.
# Needs the test PKI (tests/support), so only with the tests.
if(WHOISQ_BUILD_TESTS)
  add_executable(rdap_client_bench ${CMAKE_CURRENT_LIST_DIR}/rdap_client_bench.cc)
  target_link_libraries(rdap_client_bench PRIVATE whoisq::worker whoisq::sim whoisq_test_pki)
endif()
