#pragma once
// Who the client is when Kiln runs behind a reverse proxy. X-Forwarded-For and
// X-Forwarded-Proto are believed only from a peer on the trusted_proxies
// list; from anyone else they are ignored, so that per-address limits, audit
// addresses, the monitoring allow-list, HSTS and Secure cookies cannot be
// spoofed with a header.

#include <string>
#include <vector>

#include "core/status.hpp"

namespace kiln::http {

// IP addresses and CIDR networks (IPv4 and IPv6), e.g. "127.0.0.1", "10.0.0.0/8", "::1".
class AddressList {
 public:
  static core::Result<AddressList> Parse(const std::vector<std::string>& entries);
  bool Contains(const std::string& address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::vector<unsigned char> bytes;  // 4 or 16
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

struct ClientOrigin {
  std::string address;
  bool secure = false;
};

// The client behind `peer`: the right-most address of X-Forwarded-For that
// is not a trusted proxy, and HTTPS when the last X-Forwarded-Proto says so.
ClientOrigin ResolveClient(const std::string& peer, const std::string& forwarded_for,
                           const std::string& forwarded_proto, const AddressList& trusted_proxies);

}  // namespace kiln::http
