// .xlsx workbooks (libxlsxwriter): the tablet's exports and the web console's share this one
// writer. Every cell is a string, never a formula, so a voter's "=..." stays text.
#pragma once
#include <string>
#include <vector>

#include "base/result.h"

namespace liaison {

struct XlsxSheet {
    std::string name;                 // at most 31 characters, none of []:*?/\ (Excel's rule)
    std::vector<std::string> header;  // bold, first row
    std::vector<std::vector<std::string>> rows;
    std::vector<double> widths;  // column widths in characters; missing ones are 16
};

// The workbook's bytes (a zip: they start with "PK").
Result<std::string> xlsx_document(const std::vector<XlsxSheet>& sheets);

}  // namespace liaison
