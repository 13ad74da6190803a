#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "http/server.hpp"

namespace kiln::http {
namespace {

std::string ContentTypeOf(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".js", "text/javascript; charset=utf-8"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".json", "application/json; charset=utf-8"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".ico", "image/x-icon"},
                                                            {".woff2", "font/woff2"},
                                                            {".woff", "font/woff"},
                                                            {".txt", "text/plain; charset=utf-8"},
                                                            {".map", "application/json"},
                                                            {".webmanifest", "application/manifest+json"}};
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

bool Compressible(const std::string& content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type == "image/svg+xml";
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// Compressed copies of static files, made once per file version.
std::string CachedGzip(const std::filesystem::path& file, const std::string& body) {
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::filesystem::file_time_type, std::string>> cache;  // GUARDED_BY(mutex)
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file, ec);
  std::lock_guard lock(mutex);
  auto it = cache.find(file.string());
  if (it != cache.end() && it->second.first == mtime) return it->second.second;
  auto gz = Gzip(body);
  cache[file.string()] = {mtime, gz};
  return gz;
}

}  // namespace

Response ServeStatic(const std::string& web_dir, const std::string& path, bool accepts_gzip) {
  namespace fs = std::filesystem;
  fs::path root(web_dir);
  fs::path relative = fs::path(path).relative_path();
  fs::path file = root / relative;
  std::error_code ec;
  Response r;
  if (!relative.empty() && fs::is_regular_file(file, ec)) {
    if (!ReadWhole(file, r.body)) return ErrorResponse(500, "internal", "cannot read static file");
    r.content_type = ContentTypeOf(file);
    if (accepts_gzip && Compressible(r.content_type) && r.body.size() > 1024) {
      r.body = CachedGzip(file, r.body);
      r.headers.emplace_back("Content-Encoding", "gzip");
      r.headers.emplace_back("Vary", "Accept-Encoding");
    }
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
