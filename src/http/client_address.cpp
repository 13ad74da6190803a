#include "http/client_address.hpp"

#include "core/text.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

namespace kiln::http {
namespace {

std::vector<unsigned char> BytesOf(const boost::asio::ip::address& a) {
  // IPv4-mapped IPv6 peers (::ffff:127.0.0.1) compare as IPv4.
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    auto v4 = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_bytes();
    return {v4.begin(), v4.end()};
  }
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return {b.begin(), b.end()};
  }
  auto b = a.to_v6().to_bytes();
  return {b.begin(), b.end()};
}

std::vector<std::string> SplitList(const std::string& header) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string::npos) end = header.size();
    auto item = core::Trim(std::string_view(header).substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

}  // namespace

core::Result<AddressList> AddressList::Parse(const std::vector<std::string>& entries) {
  AddressList list;
  for (const auto& entry : entries) {
    auto slash = entry.find('/');
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(entry.substr(0, slash), ec);
    if (ec) return core::Status::InvalidArgument(fmt::format("{} is not an IP address or CIDR network", entry));
    Network n{BytesOf(address), 0};
    int bits = static_cast<int>(n.bytes.size()) * 8;
    n.prefix = bits;
    if (slash != std::string::npos) {
      try {
        size_t used = 0;
        n.prefix = std::stoi(entry.substr(slash + 1), &used);
        if (used != entry.size() - slash - 1) throw std::invalid_argument("junk");
      } catch (const std::exception&) {
        return core::Status::InvalidArgument(fmt::format("{} has an invalid prefix length", entry));
      }
      if (n.prefix < 0 || n.prefix > bits) {
        return core::Status::InvalidArgument(fmt::format("{}: the prefix length must be 0 to {}", entry, bits));
      }
    }
    list.networks_.push_back(std::move(n));
  }
  return list;
}

bool AddressList::Contains(const std::string& text) const {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(text, ec);
  if (ec) return false;
  auto bytes = BytesOf(address);
  for (const auto& n : networks_) {
    if (n.bytes.size() != bytes.size()) continue;
    int bits = n.prefix;
    bool match = true;
    for (size_t i = 0; i < bytes.size() && bits > 0; ++i, bits -= 8) {
      unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      if ((bytes[i] & mask) != (n.bytes[i] & mask)) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

ClientOrigin ResolveClient(const std::string& peer, const std::string& forwarded_for,
                           const std::string& forwarded_proto, const AddressList& trusted_proxies) {
  ClientOrigin origin{peer, false};
  if (trusted_proxies.empty() || !trusted_proxies.Contains(peer)) return origin;
  auto hops = SplitList(forwarded_for);
  for (auto i = hops.size(); i-- > 0;) {
    const auto& hop = hops[i];
    boost::system::error_code ec;
    boost::asio::ip::make_address(hop, ec);
    if (ec) break;  // a malformed hop: trust nothing further left
    origin.address = hop;
    if (!trusted_proxies.Contains(hop)) break;
  }
  auto protos = SplitList(forwarded_proto);
  origin.secure = !protos.empty() && protos.back() == "https";
  return origin;
}

}  // namespace kiln::http
