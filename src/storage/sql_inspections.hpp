#pragma once
// InspectionStore over the SQL layer.

#include "storage/database.hpp"
#include "storage/inspection_store.hpp"

namespace kiln::storage {

class SqlInspections final : public InspectionStore {
 public:
  explicit SqlInspections(Database& db) : db_(db) {}
  core::Result<InspectionPlan> CreateInspectionPlan(const InspectionPlan& plan) override;
  core::Result<std::pair<std::vector<InspectionPlan>, std::int64_t>> ListInspectionPlans(
      const std::string& region_prefix, const std::vector<std::string>& above, int page, int page_size) override;
  core::Result<std::optional<InspectionPlan>> GetInspectionPlan(std::int64_t id) override;
  core::Result<std::vector<InspectionTask>> AddInspectionTasks(const std::vector<InspectionTask>& tasks) override;
  core::Result<std::pair<std::vector<InspectionTask>, std::int64_t>> ListInspectionTasks(
      const InspectionTaskQuery& query) override;
  core::Result<std::optional<InspectionTask>> GetInspectionTask(std::int64_t id) override;
  core::Result<InspectionTask> RecordInspectionVisit(std::int64_t task_id, const InspectionTask& visit,
                                                     const std::vector<InspectionFinding>& findings,
                                                     const std::vector<FindingEvent>& events) override;
  core::Result<std::vector<InspectionFinding>> ListFindings(std::optional<std::int64_t> task_id,
                                                            std::optional<std::int64_t> enterprise_id) override;
  core::Result<std::optional<InspectionFinding>> GetFinding(std::int64_t id) override;
  core::Result<std::vector<FindingEvent>> FindingEvents(std::int64_t finding_id) override;
  core::Result<InspectionFinding> AddFindingEvent(std::int64_t id, const std::string& from_state,
                                                  const FindingEvent& event) override;
  core::Result<std::vector<std::int64_t>> AttachmentFindings(const std::string& attachment_id) override;
  core::Result<IndicatorDeduction> AddIndicatorDeduction(const IndicatorDeduction& deduction) override;
  core::Result<std::vector<IndicatorDeduction>> ListIndicatorDeductions(const std::string& region_prefix, int year,
                                                                        std::optional<std::int64_t> plan_id) override;
  core::Result<ResidentSupervisor> AppointSupervisor(const ResidentSupervisor& supervisor) override;
  core::Result<ResidentSupervisor> EndSupervisor(std::int64_t id, const std::string& ended_on,
                                                 const std::string& reason) override;
  core::Result<std::optional<ResidentSupervisor>> GetSupervisor(std::int64_t id) override;
  core::Result<std::vector<ResidentSupervisor>> ListSupervisors(const std::string& region_prefix,
                                                                std::optional<std::int64_t> enterprise_id,
                                                                bool active_only) override;
  core::Result<SupervisorVisit> AddSupervisorVisit(const SupervisorVisit& visit) override;
  core::Result<std::vector<SupervisorVisit>> SupervisorVisits(std::int64_t supervisor_id) override;

 private:
  Database& db_;
};

}  // namespace kiln::storage
