#pragma once
// ReviewStore over the SQL layer, and the review item a report's move keeps in step.

#include "storage/database.hpp"
#include "storage/report_store.hpp"
#include "storage/review_store.hpp"

namespace kiln::storage {

class SqlReviews final : public ReviewStore {
 public:
  explicit SqlReviews(Database& db) : db_(db) {}
  core::Result<ReviewItem> FileReview(const ReviewItem& item, const ReviewStep& step, bool exclusive = true) override;
  core::Result<ReviewItem> MoveReview(std::int64_t id, const std::string& from, const std::string& to,
                                      const std::string& awaiting, const ReviewStep& step,
                                      const std::optional<std::string>& content,
                                      const std::optional<ReviewEffect>& effect) override;
  core::Result<std::optional<ReviewItem>> GetReview(std::int64_t id) override;
  core::Result<std::pair<std::vector<ReviewItem>, std::int64_t>> ListReviews(const ReviewQuery& query) override;
  core::Result<std::vector<ReviewVersion>> ReviewVersions(std::int64_t id) override;
  core::Result<std::vector<ReviewStep>> ReviewSteps(std::int64_t id) override;
  core::Result<Attachment> PutAttachment(const Attachment& attachment) override;
  core::Result<std::optional<Attachment>> GetAttachment(const std::string& id, bool with_content) override;
  core::Result<std::vector<std::int64_t>> AttachmentItems(const std::string& id) override;
  core::Result<std::vector<std::pair<int, Attachment>>> ItemAttachments(std::int64_t item_id) override;

 private:
  Database& db_;
};

// Within a report's transition (on `conn`, inside its transaction): the report's review item
// takes the report's status, version and awaited level; created at its first submission.
core::Status MirrorReportReview(Connection& conn, const Report& report, const std::string& actor);

// Within a transaction on `conn`: files `item` (version 1, with `step`); kConflict as FileReview.
core::Result<ReviewItem> InsertReviewItem(Connection& conn, const ReviewItem& item, const ReviewStep& step,
                                          bool exclusive);

}  // namespace kiln::storage
