// Department xlsx workbooks: zip archive, shared strings and the first sheet, within the limits.
#include <string_view>

#include "fuzz_targets.hpp"
#include "ingest/table_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kiln::ingest::TableLimits limits{.max_rows = 200,
                                   .max_columns = 32,
                                   .max_cell_bytes = 1024,
                                   .max_shared_strings = 1000,
                                   .max_inflated_bytes = 1 << 20};
  auto table = kiln::ingest::ReadXlsx(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (table.ok()) {
    if (table->size() > limits.max_rows) __builtin_trap();
    for (const auto& row : *table) {
      if (row.size() > limits.max_columns) __builtin_trap();
    }
  }
  return 0;
}
