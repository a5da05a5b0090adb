# rdap_bootstrap_bench: RdapBootstrap::BaseUrl/QueryUrl on a mix of normalized
# domains, IPv4/IPv6 addresses and networks and AS numbers; prints lookups/s.
add_executable(rdap_bootstrap_bench ${CMAKE_CURRENT_LIST_DIR}/rdap_bootstrap_bench.cc)
target_link_libraries(rdap_bootstrap_bench PRIVATE whoisq::resolve)
