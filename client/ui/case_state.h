// UI state of the case screens (docs/cases.md): case board, case detail with its timeline and
// transition forms, a new case from a visit, the deputy's record and the statistics.
// Plain structs in display form (see Glyphs::shown); the app root (client/app/model_cases.cpp)
// fills them from the store and applies the intents of case_intents.h.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "client/store/domain.h"
#include "client/ui/state.h"

namespace liaison::ui {

struct CaseBoardState {
    std::string today;
    // One column per status in workflow order (codes of cases::statuses()).
    struct Column {
        std::string status;
        std::vector<CaseRowView> cases;
    };
    std::vector<Column> columns;
    std::vector<CaseRowView> all;  // every case that the search and filters keep, in board order
    std::string filter;            // portrait: the status shown ("" = all)
    int64_t overdue = 0;           // of those kept
    // Search and filters above the board (cases::CaseQuery): text in the title or content,
    // overdue only, a category and a department ("" = all).
    std::string text;
    bool overdue_only = false;
    std::string category, department_id;
    std::vector<Choice> departments;
    std::string error;
};

struct CaseTimelineRow {
    std::string at, author, kind, note;
};

struct CaseDetailState {
    std::string id;
    store::Case c;  // display form, without the timeline
    std::string category, department, deputies, visit_subject;
    std::string deadline_state;
    std::vector<CaseTimelineRow> timeline;  // oldest first
    std::vector<std::string> allowed;       // action codes the status allows (cases::allowed_actions)
    std::vector<Choice> departments;
    std::vector<Choice> quick_deadlines;  // id: a date, label: "+7 天"
    // The open transition form: "" or assign, progress, close, feedback, rate.
    std::string action;
    std::string department_id, deadline, note, result, channel, satisfaction, comment;
    std::string error;         // a refusal or the store's message, one line
    std::string loaded_error;  // the case could not be read
    // 电话反馈 (the feedback step): the visit's first visitor, the phone masked until staff ask
    // for it in full, which the timeline records (cases::phone_shown).
    std::string voter, phone_masked, phone_full;
};

struct CaseFormState {
    std::string visit_id, visit_subject;
    std::string title, content, category;
    std::string error;
};

struct RecordEntryView {
    std::string date, type, text;
    int64_t people = 0;
};

struct DeputyRecordState {
    std::string deputy_id;
    std::string period = "year";  // month, quarter, year, all
    std::string from, to;         // the period's dates ("" = open)
    int64_t visits = 0, people = 0, duty_slots = 0, activities = 0;
    std::vector<std::pair<std::string, int64_t>> by_type;  // activity type code, count
    std::vector<RecordEntryView> entries;                  // newest first
    std::vector<store::DutySlot> upcoming;                 // the deputy's duty slots from today
    // Adding an activity
    bool adding = false;
    std::string act_type = "inspection", act_date, act_notes;
    std::string error;
};

struct ChartBar {
    std::string label;
    int64_t value = 0;
    int64_t permille = -1;    // share of the total in tenths of a percent (-1: not a share)
    std::string percent;      // the same as text
    std::string short_label;  // months: the month's number, when the labels do not fit
    std::string year;         // months: the year, under the first month and where it changes
    bool partial = false;     // months: the month in progress, counted so far (本月至今)
};

struct StatsState {
    std::string period = "month";  // month or year
    std::string anchor;            // YYYY-MM (month) or YYYY (year) shown
    std::string from, to;
    int64_t visits = 0, people = 0, suggestions = 0, resolved = 0;
    std::string resolution_rate, satisfaction_rate;
    // Visits per month: the 12 months up to the period's end, less those still to come
    // (charts::month_series).
    std::vector<ChartBar> by_month;
    std::vector<ChartBar> by_category;  // visits by category, with shares of the period's visits
    std::vector<ChartBar> by_status;    // cases registered in the period by status, with shares
    std::string report_title;
    std::vector<std::string> report_lines;  // the summary sentence, then one line per category/deputy
    std::string report_text;                // stored form, for the clipboard
    std::string message, error;
    // Export (docs/app.md): where to, which format, the quick folder choices (label, path) and
    // what the last export wrote or why it failed.
    std::string export_folder;
    std::string export_format = "xlsx";
    std::vector<std::pair<std::string, std::string>> folder_choices;
    std::string export_message, export_error;
};

}  // namespace liaison::ui
