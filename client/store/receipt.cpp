// ESC/POS receipt of a queue ticket (docs/queue.md, "Printing the ticket"). Chinese thermal
// printers read two-byte text as GBK/GB18030, never UTF-8.
#include "client/store/receipt.h"

#include <string_view>

#include "base/text_encoding.h"

namespace liaison::store::receipt {

namespace {
// The sequences hold NUL bytes: take them with their full length, not up to the first NUL.
template <size_t N>
std::string_view seq(const char (&s)[N]) {
    return {s, N - 1};
}
}  // namespace

Result<std::string> escpos(const TicketReceipt& r) {
    const std::string deputy = r.deputy.empty() ? "不指定" : r.deputy;
    LIAISON_ASSIGN_OR_RETURN(const std::string head, text::utf8_to_gb18030(r.station + "\n"));
    LIAISON_ASSIGN_OR_RETURN(const std::string number, text::utf8_to_gb18030(r.number + "\n"));
    const std::string lines =
        "时间：" + r.time + "\n代表：" + deputy + "\n前面还有 " + std::to_string(r.ahead) + " 位\n请留意叫号\n";
    LIAISON_ASSIGN_OR_RETURN(const std::string body, text::utf8_to_gb18030(lines));

    std::string out;
    out += seq(kInit);
    out += seq(kChineseMode);
    out += seq(kCentre);
    out += head;
    out += "\n";
    out += seq(kDoubleSize);
    out += number;
    out += seq(kNormalSize);
    out += "\n";
    out += body;
    out += seq(kFeedAndCut);
    return out;
}

}  // namespace liaison::store::receipt
