// The types of the case screens that ui::Intent and VisitDetailState need (state.h includes
// this); the screens' own state is in case_state.h.
#pragma once
#include <string>
#include <variant>

namespace liaison::ui {

struct CaseRowView {
    std::string id, title, category, status, department, deadline, created_at;
    std::string deadline_state;  // done, none, on_time, due_soon, overdue (cases::deadline_code)
};

// ---- intents of these screens (wrapped in intent::Cases, one alternative of ui::Intent) ----
namespace intent {
struct OpenCase {
    std::string id;
};
struct CaseFilter {
    std::string status;
};
struct CaseBoardQuery {};  // the board's search text or filters changed (CaseBoardState)
struct CaseOpenAction {
    std::string action;
};                     // "" closes the form
struct CaseSubmit {};  // applies CaseDetailState::action with its fields
struct ShowPhone {};   // the feedback step: the voter's phone in full, recorded on the timeline
struct NewCase {
    std::string visit_id;
};  // opens the form, prefilled from the visit
struct SaveCase {};
struct PickDeputy {
    std::string id;
};
struct RecordPeriod {
    std::string period;
};
struct AddActivity {};
struct StatsPeriod {
    std::string period;
    int step = 0;
};  // step: -1 earlier, +1 later
struct ExportReport {};
struct CopiedReport {};
struct ExportFormat {
    std::string format;  // xlsx or csv
};
struct ExportFolder {
    std::string path;  // a quick choice; a typed folder is in StatsState::export_folder
};
struct ExportData {
    std::string what;  // visits, cases or report: the shown period's, to StatsState::export_folder
};
using CaseIntent = std::variant<OpenCase, CaseFilter, CaseBoardQuery, CaseOpenAction, CaseSubmit, ShowPhone, NewCase,
                                SaveCase, PickDeputy, RecordPeriod, AddActivity, StatsPeriod, ExportReport,
                                CopiedReport, ExportFormat, ExportFolder, ExportData>;
struct Cases {
    CaseIntent v;
};
}  // namespace intent

}  // namespace liaison::ui
