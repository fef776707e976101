// The visit screens: home, the list (search as you type), the form with its draft, and a
// visit's detail with its audit trail.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "client/app/context.h"
#include "client/ui/ui.h"

namespace liaison::app {

class VisitsScreen {
public:
    static bool owns(ui::View v);
    void draw(ui::Ui& u, ui::View v, const Context& c, const ui::SyncStatus& sync);
    void enter(ui::View v, Context& c);  // navigated to: loads the screen's state

    void refresh_home(Context& c);
    void run_list_query(Context& c);
    void restore_draft(Context& c);
    void reopen_detail(ui::View shown, Context& c);    // the language changed: the open visit again
    void open_form(ui::VisitFormState f, Context& c);  // a form filled elsewhere (the queue's ticket)

    void handle(const ui::intent::OpenVisit& o, Context& c) { open_visit(o.id, c); }
    void handle(const ui::intent::NewVisit&, Context& c) { new_form(c); }
    void handle(const ui::intent::EditVisit& e, Context& c);
    void handle(const ui::intent::SaveVisit&, Context& c);
    void handle(const ui::intent::FormEdited&, Context& c);
    void handle(const ui::intent::DiscardForm&, Context& c);
    bool undo(Context& c);  // the undo toast: the discarded form (and its draft) back
    void handle(const ui::intent::ListQueryChanged& q, Context& c);
    void handle(const ui::intent::NeedRows& r, Context& c) { fetch_rows(r.first, r.last, c); }

    bool run_timers(int64_t now, Context& c);
    int64_t next_deadline() const;                                     // monotonic ms, 0 = none
    bool debouncing() const { return list_query_due_ || draft_due_; }  // a search or draft still to run
    bool list_busy() const { return list_query_due_ || list_.want_rows; }
    void flush(Context& c);  // before exit: write a pending draft

private:
    ui::VisitRowView row_view(const store::VisitRow& r, const Context& c) const;
    void fetch_rows(int64_t first, int64_t last, Context& c);
    void open_visit(const std::string& id, Context& c);
    void open_newest(Context& c);
    void load_audit(const std::string& id, Context& c);
    void new_form(Context& c);
    void save_draft_now(Context& c);
    std::optional<std::string> write_form(Status& served, Context& c);
    void after_save(const std::string& id, const Status& served, Context& c);

    ui::HomeState home_;
    ui::VisitListState list_;
    ui::VisitFormState form_;
    std::optional<ui::VisitFormState> discarded_;  // 清空's undo, until undo_until_ (monotonic ms)
    int64_t undo_until_ = 0;
    ui::VisitDetailState detail_;
    // Timers (monotonic ms, 0 = none).
    int64_t list_query_due_ = 0, draft_due_ = 0;
};

}  // namespace liaison::app
