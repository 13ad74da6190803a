#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/server.hpp"

namespace kiln::http {
namespace {

std::string ContentTypeOf(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".woff", "font/woff"},                {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},          {".webmanifest", "application/manifest+json"}};
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool ReadWhole(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

}  // namespace

Response ServeStatic(const std::string& web_dir, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path root(web_dir);
  fs::path relative = fs::path(path).relative_path();
  fs::path file = root / relative;
  std::error_code ec;
  Response r;
  if (!relative.empty() && fs::is_regular_file(file, ec)) {
    if (!ReadWhole(file, r.body)) return ErrorResponse(500, "internal", "cannot read static file");
    r.content_type = ContentTypeOf(file);
    // Vite puts content-hashed files under assets/: safe to cache for a year.
    bool hashed = relative.begin() != relative.end() && *relative.begin() == "assets";
    r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
  }
  if (relative.has_extension() && relative.extension() != ".html") {
    return ErrorResponse(404, "not_found", "no file " + path);
  }
  if (!ReadWhole(root / "index.html", r.body)) return ErrorResponse(404, "not_found", "the web console is not built");
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace kiln::http
