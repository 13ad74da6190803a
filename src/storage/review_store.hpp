#pragma once
// Items filed for review (list entry and exit, and every flow that passes
// county → city → province) with their versions and every step taken. Monthly
// and yearly reports keep their own rows (report_store.hpp); each submitted
// report also has a review item here, written in the same transaction as the
// report's own move, so that one query gives a caller's to-do across flows.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/china_time.hpp"
#include "core/record.hpp"
#include "core/status.hpp"

namespace kiln::storage {

struct ReviewItem {
  std::int64_t id = 0;
  std::string flow;  // monthly_report, yearly_report, list_entry, list_exit, …
  std::string subject_kind;  // report, enterprise, project
  std::int64_t subject_id = 0;
  std::optional<std::int64_t> enterprise_id;
  std::string region;  // the subject's county when filed (an enterprise's current county wins in lists)
  std::string subject_label;  // a report's period, an enterprise's name: what a list shows as the subject
  std::string status;  // submitted, <level>_approved, approved, returned, withdrawn (core/review_chain.hpp)
  std::string awaiting;  // the level that acts next, "" when done
  std::string filer;  // the level that filed it
  std::string levels;  // "county,city,province"
  int version = 0;
  std::string content;  // the newest version's content (JSON text); reports keep theirs in report_versions
  std::string filed_by;
  core::UnixMillis filed_at = 0;
  std::optional<core::UnixMillis> due_at;
  core::UnixMillis updated_at = 0;
  // Of the enterprise, for lists.
  std::string enterprise_name;
};

struct ReviewVersion {
  int version = 0;
  std::string content, filed_by;
  core::UnixMillis filed_at = 0;
};

struct ReviewStep {
  std::int64_t id = 0;
  int version = 0;
  std::string action;  // file, resubmit, approve, return, withdraw
  std::string level;  // who acted: enterprise, county, city, province
  std::string actor, reason;
  core::UnixMillis at = 0;
  std::vector<std::string> attachments;  // ids of the attachments this step added
  // When whoever acts next must act by; nullopt leaves the item's due date as it is (MoveReview).
  std::optional<core::UnixMillis> next_due;
};

// A file attached to a step, stored once by its SM3 hash.
struct Attachment {
  std::string id;  // SM3 of the content, 64 hex digits
  std::string name, media_type;  // of its first upload
  std::int64_t size = 0;
  std::string content;  // empty unless asked for
  std::string created_by;
  core::UnixMillis created_at = 0;
};

struct ReviewQuery {
  std::string region_prefix;  // of the enterprise's county, or of the item's region when it has no enterprise
  std::optional<std::int64_t> enterprise_id;
  std::string awaiting;  // "" = any
  std::string flow, status, subject_kind;  // "" = any
  std::optional<std::int64_t> subject_id;
  bool open_only = false;  // awaiting someone
  int page = 1, page_size = 50;
};

// What a final approval changes, in the decision's own transaction.
struct ReviewEffect {
  enum class Kind {
    kListEntry,
    kListExit,
    kRecordPatch,
    kRecordCreate,
    kViolationClosed,
    kUpgradePlanApproved,  // fields: content, completion_due, expected_saving_tce, project_ids ("1,2")
    kUpgradeAccepted,  // fields: measured, measured_saving_tce
  };
  Kind kind = Kind::kListEntry;
  std::int64_t enterprise_id = 0;
  std::string date;  // YYYY-MM-DD, China time (list entry and exit)
  std::string actor;
  // kRecordPatch: fields of one registry record (enterprises, projects), named by their schema;
  // kRecordCreate: the fields of a new one (a declared project).
  std::string table;
  std::int64_t record_id = 0;  // kViolationClosed: the violation; kUpgrade…: the plan
  std::vector<std::pair<std::string, core::Value>> fields;
};

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;
  // Files version 1 with a "file" step. kConflict when an open item of the same flow is on the subject,
  // unless the flow allows several at once (`exclusive` false: an enterprise declares several projects).
  virtual core::Result<ReviewItem> FileReview(const ReviewItem& item, const ReviewStep& step,
                                              bool exclusive = true) = 0;
  // Moves an item from `from` to `to` (awaiting `awaiting`), recording `step`; a step with a newer
  // version (a resubmission) stores `content` as that version. `effect` applies on the way.
  // kConflict when the item is no longer in `from` (someone acted first).
  virtual core::Result<ReviewItem> MoveReview(std::int64_t id, const std::string& from, const std::string& to,
                                              const std::string& awaiting, const ReviewStep& step,
                                              const std::optional<std::string>& content,
                                              const std::optional<ReviewEffect>& effect) = 0;
  virtual core::Result<std::optional<ReviewItem>> GetReview(std::int64_t id) = 0;
  virtual core::Result<std::pair<std::vector<ReviewItem>, std::int64_t>> ListReviews(const ReviewQuery& query) = 0;
  virtual core::Result<std::vector<ReviewVersion>> ReviewVersions(std::int64_t id) = 0;
  virtual core::Result<std::vector<ReviewStep>> ReviewSteps(std::int64_t id) = 0;

  // Stores the bytes once: the same content uploaded again is the row already there (and its name).
  virtual core::Result<Attachment> PutAttachment(const Attachment& attachment) = 0;
  virtual core::Result<std::optional<Attachment>> GetAttachment(const std::string& id, bool with_content) = 0;
  // The review items a step of which carries the attachment.
  virtual core::Result<std::vector<std::int64_t>> AttachmentItems(const std::string& id) = 0;
  // The attachments an item's steps carry (without their bytes), with the version that added each.
  virtual core::Result<std::vector<std::pair<int, Attachment>>> ItemAttachments(std::int64_t item_id) = 0;
};

}  // namespace kiln::storage
