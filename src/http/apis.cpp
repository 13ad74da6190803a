#include "http/apis.hpp"

namespace kiln::http {

std::vector<std::unique_ptr<Api>> RegisterApis(Gate& gate, const ApiContext& c) {
  std::vector<std::unique_ptr<Api>> apis;
  apis.push_back(RegisterSystemApi(gate, c));
  apis.push_back(RegisterAuthApi(gate, c));
  apis.push_back(RegisterRegistryApi(gate, c));
  apis.push_back(RegisterUserApi(gate, c));
  apis.push_back(RegisterAuditApi(gate, c));
  apis.push_back(RegisterMeterApi(gate, c));
  apis.push_back(RegisterOverviewApi(gate, c));
  apis.push_back(RegisterReportApi(gate, c));
  apis.push_back(RegisterAccountingApi(gate, c));
  apis.push_back(RegisterReferenceApi(gate, c));
  apis.push_back(RegisterDepartmentApi(gate, c));
  apis.push_back(RegisterWarningApi(gate, c));
  apis.push_back(RegisterDualControlApi(gate, c));
  apis.push_back(RegisterViolationApi(gate, c));
  apis.push_back(RegisterUpgradeApi(gate, c));
  apis.push_back(RegisterInspectionApi(gate, c));
  apis.push_back(RegisterReviewApi(gate, c));
  return apis;
}

}  // namespace kiln::http
