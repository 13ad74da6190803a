#pragma once
// Meter data over MQTT (libmosquitto): subscribes to kiln/<credit code>/readings
// and feeds each message through the same signature check, decoder and write
// pipeline as POST /api/v1/readings. MQTT 3.1.1 has no headers, so a message
// is a JSON envelope (a stable interface):
//
//   {"authorization": "KILN-HMAC-SM3 Credential=…, Timestamp=…, Nonce=…, Signature=…",
//    "body": "{\"readings\":[…]}"}
//
// signed exactly like HTTP with METHOD "MQTT" and PATH the topic. The result,
// the same JSON as the HTTP answer (or an error body), is published to
// kiln/<credit code>/readings/ack.
//
// Thread-safety: Start/Stop from one thread; messages are handled on
// libmosquitto's network thread, one at a time.

#include <memory>
#include <string>

#include "core/status.hpp"
#include "ingest/write_pipeline.hpp"
#include "security/machine_auth.hpp"
#include "storage/store.hpp"

namespace kiln::mqtt {

struct MqttOptions {
  std::string url;  // tcp://HOST:PORT
  std::string client_id = "kiln-platform";
  int keepalive_s = 30;
};

class MqttSubscriber {
 public:
  MqttSubscriber(MqttOptions options, storage::Store& store, security::MachineAuth& auth,
                 ingest::WritePipeline& pipeline);
  ~MqttSubscriber();

  // Connects (retrying in the background if the broker is down) and subscribes.
  core::Status Start();
  void Stop();

  // Handles one message; returns the ack JSON. Public for tests.
  std::string Handle(const std::string& topic, const std::string& payload);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::mqtt
