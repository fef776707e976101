// The nouns of docs/design.md §2 as plain structs. Times are local "YYYY-MM-DD HH:MM", dates "YYYY-MM-DD".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"

namespace liaison::store {

struct Station {
    std::string id, name, kind, district, township, address;
};

struct Deputy {
    std::string id, name;
    std::string level;       // 全国/省/市/县区/乡镇
    std::string station_id;  // home station
    std::string group;       // 履职资源分类
    std::string phone;
    bool active = true;
};

struct Department {
    std::string id, name;
};

struct Category {
    std::string id;  // stable code, e.g. "urban"
    std::string name_zh, name_en;
    int sort = 0;
};

// Channels and handling routes are stable codes; the UI translates them.
using domain::kChannels;
// 当场答复 / 转街道乡镇办理 / 上报·形成代表建议 / 依法引导
using domain::kRoutes;

struct Visitor {  // PII: only in visit_visitors, never logged
    std::string id, visit_id, name, phone, id_number, address;
};

struct Visit {
    std::string id, station_id;
    std::string received_at;              // "YYYY-MM-DD HH:MM"
    std::vector<std::string> deputy_ids;  // receiving deputies
    std::string channel = "station";
    int64_t people = 1;  // 人次 of this 批次
    std::string category, subject, content;
    std::string route;         // one of kRoutes, "" while undecided
    std::string route_reason;  // required for legal_channel
    std::string notes;
    std::vector<Visitor> visitors;
    std::string queue_ticket_id;  // set when started from the queue
};

// Only the fields present are changed.
struct VisitPatch {
    std::optional<std::string> received_at, channel, category, subject, content, route, route_reason, notes;
    std::optional<std::vector<std::string>> deputy_ids;
    std::optional<int64_t> people;
    std::optional<std::string> visitor_name, visitor_phone;  // the first visitor
};

struct VisitQuery {
    std::string text;      // substring over subject, content and visitor names
    std::string from, to;  // dates, inclusive
    std::string category, deputy_id, route;
    int64_t limit = 50, offset = 0;
};

struct VisitRow {  // one line of the list
    std::string id, received_at, category, subject, first_visitor, route;
    int64_t people = 1;
};

struct CaseEvent {
    std::string id, case_id, at, author, kind,
        note;  // kind: created/assigned/reassigned/progress/resolved/answered/rated
};

// 登记 → 交办 → 办理中 → 已办结 → 已反馈 → 已测评
using domain::kCaseStatuses;

struct Case {
    std::string id, station_id, visit_id, title, content, category;
    std::string status = "registered";
    std::string department_id, deadline, result;
    std::string satisfaction;                            // satisfied / basically / unsatisfied
    std::string satisfaction_comment, feedback_channel;  // feedback_channel: one of kFeedbackChannels
    std::string created_at;
    std::vector<std::string> deputy_ids;  // raising deputies; empty = those of the visit (schema v3)
    std::string resolved_at;              // "YYYY-MM-DD HH:MM" of 办结 (schema v3)
    std::vector<CaseEvent> timeline;
};

// 满意 / 基本满意 / 不满意 and 当面 / 书面 / 电话 as stable codes; the UI translates them.
using domain::kFeedbackChannels;
using domain::kSatisfactions;
// 接待选民 / 视察调研 / 执法检查 / 培训 / 走访. "reception" is counted from visits, not entered.
using domain::kActivityTypes;

struct DutySlot {
    std::string id, station_id, date, start, end;
    std::vector<std::string> deputy_ids;
    std::string note;
};

struct Activity {
    std::string id, deputy_id, type, date, notes;  // type: reception/inspection/law_check/training/outreach
};

struct QueueTicket {
    std::string id, station_id, date;
    int64_t number = 0;
    std::string visitor_name, phone;  // PII
    int64_t people = 1;
    std::string category, topic, wished_deputy_id;
    std::string status = "waiting";  // waiting/called/served/left
    std::string visit_id, created_at;
    std::string series;     // the issuing device's letter: the shown number is series + number, "A007"
    std::string device_id;  // the device that issued it
    int64_t issued_ms = 0;  // check-in time, causally after every ticket its device had seen (queue order)
};

// One line of a record's audit trail (from the per-field change log).
struct AuditEntry {
    std::string at, author, device, table, column, old_value, new_value;
};

struct ConflictView {
    std::string id, table, row, column;
    std::string mine, theirs;  // display text
    bool delete_conflict = false;
    std::string record_label;  // e.g. the visit subject
};

struct DeviceInfo {
    std::string device_id, device_name, station_id, station_name;
    std::string server_url;  // empty until enrolled
};

}  // namespace liaison::store
