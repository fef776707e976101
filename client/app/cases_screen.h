// The case screens (意见建议): the board, a case's detail with its transitions, a new case from
// a visit, a deputy's record and the statistics. Only here do those screens touch the store
// (client/store/cases.h, duty.h, stats.h).
#pragma once
#include <string>
#include <vector>

#include "base/xlsx.h"
#include "client/app/context.h"
#include "client/store/cases.h"
#include "client/store/stats.h"
#include "client/ui/case_state.h"
#include "client/ui/case_views.h"

namespace liaison::app {

// A case as the board and the visit detail list it.
ui::CaseRowView case_row(const store::cases::CaseRow& r, const Context& c);
// The cases a visit raised (the visit detail shows them).
std::vector<ui::CaseRowView> cases_of_visit(const std::string& visit_id, const Context& c);

class CasesScreen {
public:
    static bool owns(ui::View v);
    void draw(ui::Ui& u, ui::View v, const Context& c);
    void enter(ui::View v, Context& c);  // navigated to (or the language changed): loads the screen's state
    void handle(const ui::intent::Cases& in, Context& c);

private:
    void refresh_board(Context& c);
    void open_case(const std::string& id, Context& c);
    void open_some_case(Context& c);
    void fill_detail(const store::Case& k, Context& c);
    void show_phone(Context& c);  // the feedback step: the voter's full phone, recorded
    void submit_action(Context& c);
    void new_case(const ui::intent::NewCase& n, Context& c);
    void save_case(Context& c);
    void refresh_record(Context& c);
    void record_period(const std::string& today);
    void add_activity(Context& c);
    void stats_period(const ui::intent::StatsPeriod& p, Context& c);
    std::string stats_range(const std::string& today);
    void refresh_stats(Context& c);
    void stats_charts(const std::string& chart_from, Context& c);
    void stats_report(const store::stats::Figures& f, Context& c);
    void export_report(Context& c);
    void refresh_folders(Context& c);
    Result<std::string> export_folder(Context& c);
    Result<std::vector<XlsxSheet>> export_sheets(const std::string& what, Context& c);
    void export_data(const std::string& what, Context& c);

    ui::CaseBoardState board_;
    ui::CaseDetailState detail_;
    ui::CaseFormState form_;
    ui::DeputyRecordState record_;
    ui::StatsState stats_;
};

}  // namespace liaison::app
