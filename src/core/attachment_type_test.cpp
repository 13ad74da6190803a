#include "core/attachment_type.hpp"

#include <gtest/gtest.h>

namespace kiln::core {
namespace {

TEST(AttachmentType, KnownKindsAreTakenFromTheirBytes) {
  auto pdf = SniffAttachment("%PDF-1.7\n...", "关停文件.PDF");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->media_type, "application/pdf");
  EXPECT_TRUE(pdf->preview);
  auto png = SniffAttachment(std::string("\x89PNG\r\n\x1a\n", 8) + "rest", "现场.jpg");
  ASSERT_TRUE(png) << "the bytes decide, not the name";
  EXPECT_EQ(png->media_type, "image/png");
  EXPECT_EQ(SniffAttachment("\xFF\xD8\xFF\xE0....", "photo")->media_type, "image/jpeg");
  auto docx = SniffAttachment(std::string("PK\x03\x04", 4) + "zip", "整改方案.docx");
  ASSERT_TRUE(docx);
  EXPECT_FALSE(docx->preview);
  EXPECT_EQ(docx->extension, "docx");
  EXPECT_EQ(SniffAttachment(std::string("PK\x03\x04", 4), "台账.XLSX")->extension, "xlsx");
  EXPECT_EQ(SniffAttachment("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", "old.doc")->media_type, "application/msword");
}

TEST(AttachmentType, AnythingElseIsRefused) {
  EXPECT_FALSE(SniffAttachment("<html><script>", "page.pdf")) << "a name does not make a PDF";
  EXPECT_FALSE(SniffAttachment(std::string("PK\x03\x04", 4), "archive.zip"));
  EXPECT_FALSE(SniffAttachment(std::string("PK\x03\x04", 4), "noextension"));
  EXPECT_FALSE(SniffAttachment("MZ\x90\x00", "setup.exe"));
  EXPECT_FALSE(SniffAttachment("", "empty.pdf"));
  EXPECT_FALSE(SniffAttachment("%PD", "short.pdf"));
}

TEST(AttachmentIds, AcceptsUpToTwentySm3IdsAndNamesTheFieldOtherwise) {
  const std::string id(64, 'a');
  std::vector<FieldError> errors;
  auto ids = AttachmentIds(nlohmann::json::array({id, std::string(64, '0')}), errors);
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->size(), 2u);
  EXPECT_TRUE(errors.empty());
  for (const auto& bad :
       {nlohmann::json(id), nlohmann::json::array({id.substr(1)}), nlohmann::json::array({std::string(64, 'A')}),
        nlohmann::json::array({7}), nlohmann::json(std::vector<std::string>(21, id))}) {
    errors.clear();
    EXPECT_FALSE(AttachmentIds(bad, errors).has_value()) << bad.dump();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "attachments");
  }
  EXPECT_TRUE(IsAttachmentId(id));
  EXPECT_FALSE(IsAttachmentId("XYZ"));
}

}  // namespace
}  // namespace kiln::core
