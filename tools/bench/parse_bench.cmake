# parse_bench: parses the whole dev corpus (tests/fixtures/corpus) in one
# process, repeatedly, and prints responses/s and MB/s. Prints, asserts nothing.
add_executable(parse_bench ${CMAKE_CURRENT_LIST_DIR}/parse_bench.cc)
target_link_libraries(parse_bench PRIVATE whoisq::parse nlohmann_json::nlohmann_json)
target_compile_definitions(parse_bench PRIVATE
  WHOISQ_PARSE_CORPUS_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures/corpus")
