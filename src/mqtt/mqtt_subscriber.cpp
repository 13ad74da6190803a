#include "mqtt/mqtt_subscriber.hpp"

#include "core/json_input.hpp"

#include <mosquitto.h>

#include <fmt/format.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/error_json.hpp"

namespace kiln::mqtt {
namespace {

using nlohmann::json;

std::string ErrorJson(const core::Status& status) { return core::ErrorBody(status).dump(); }

// kiln/<uscc>/readings -> <uscc>
std::string CreditCodeOfTopic(const std::string& topic) {
  constexpr std::string_view kPrefix = "kiln/", kSuffix = "/readings";
  if (topic.size() <= kPrefix.size() + kSuffix.size() || !topic.starts_with(kPrefix) || !topic.ends_with(kSuffix)) {
    return {};
  }
  return topic.substr(kPrefix.size(), topic.size() - kPrefix.size() - kSuffix.size());
}

std::once_flag library_init;

}  // namespace

struct MqttSubscriber::Impl {
  MqttOptions options;
  storage::Store& store;
  security::MachineAuth& auth;
  ingest::WritePipeline& pipeline;
  mosquitto* client = nullptr;
  std::string host;
  int port = 1883;
};

MqttSubscriber::MqttSubscriber(MqttOptions options, storage::Store& store, security::MachineAuth& auth,
                               ingest::WritePipeline& pipeline)
    : impl_(new Impl{std::move(options), store, auth, pipeline}) {}

MqttSubscriber::~MqttSubscriber() { Stop(); }

std::string MqttSubscriber::Handle(const std::string& topic, const std::string& payload) {
  std::string uscc = CreditCodeOfTopic(topic);
  if (uscc.empty()) return ErrorJson(core::Status::InvalidArgument("topic must be kiln/<credit code>/readings"));
  auto parsed = core::ParseJsonInput(payload, {.max_bytes = 16u << 20, .max_depth = 4});
  json envelope = parsed.ok() ? std::move(parsed).value() : json();
  if (!envelope.is_object() || !envelope["authorization"].is_string() || !envelope["body"].is_string()) {
    return ErrorJson(core::Status::InvalidArgument(
        "message must be {\"authorization\": \"KILN-HMAC-SM3 …\", \"body\": \"<batch JSON>\"}",
        {{"authorization", "must be a string"}, {"body", "must be a string"}}));
  }
  std::string body = envelope["body"];
  auto credential = impl_->auth.VerifyKeepingNonce("MQTT", topic, envelope["authorization"], body);
  if (!credential.ok()) return ErrorJson(credential.status());
  auto owner = impl_->store.EnterpriseIdByCreditCode(uscc);
  if (!owner.ok()) return ErrorJson(owner.status());
  if (!*owner || **owner != credential->enterprise_id) {
    return ErrorJson(core::Status::PermissionDenied("the key belongs to another enterprise than the topic names"));
  }
  auto batch = ingest::DecodeBatch(body);
  if (!batch.ok()) return ErrorJson(batch.status());
  auto summary = impl_->pipeline.Submit({credential->key_id, credential->enterprise_id, credential->nonce},
                                        std::move(batch).value());
  if (!summary.ok()) return ErrorJson(summary.status());
  return ingest::IngestSummaryJson(*summary).dump();
}

core::Status MqttSubscriber::Start() {
  const auto& url = impl_->options.url;
  if (!url.starts_with("tcp://")) return core::Status::InvalidArgument("--mqtt must be tcp://HOST:PORT, got " + url);
  auto rest = url.substr(6);
  auto colon = rest.rfind(':');
  impl_->host = colon == std::string::npos ? rest : rest.substr(0, colon);
  impl_->port = colon == std::string::npos ? 1883 : std::atoi(rest.substr(colon + 1).c_str());
  std::call_once(library_init, [] { mosquitto_lib_init(); });
  impl_->client = mosquitto_new(impl_->options.client_id.c_str(), true, this);
  if (!impl_->client) return core::Status::Internal("mosquitto_new failed");
  mosquitto_connect_callback_set(impl_->client, [](mosquitto* m, void* self, int rc) {
    if (rc != 0) {
      spdlog::warn("mqtt: connection refused: {}", mosquitto_connack_string(rc));
      return;
    }
    mosquitto_subscribe(m, nullptr, "kiln/+/readings", 1);
    spdlog::info("mqtt: connected, subscribed to kiln/+/readings");
  });
  mosquitto_message_callback_set(impl_->client, [](mosquitto* m, void* self, const mosquitto_message* msg) {
    auto* subscriber = static_cast<MqttSubscriber*>(self);
    std::string payload(static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen));
    std::string ack = subscriber->Handle(msg->topic, payload);
    std::string ack_topic = std::string(msg->topic) + "/ack";
    mosquitto_publish(m, nullptr, ack_topic.c_str(), static_cast<int>(ack.size()), ack.data(), 1, false);
  });
  mosquitto_reconnect_delay_set(impl_->client, 1, 30, true);
  int rc = mosquitto_connect_async(impl_->client, impl_->host.c_str(), impl_->port, impl_->options.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS)
    spdlog::warn("mqtt: {}:{} not reachable yet ({}); retrying", impl_->host, impl_->port, mosquitto_strerror(rc));
  rc = mosquitto_loop_start(impl_->client);
  if (rc != MOSQ_ERR_SUCCESS) return core::Status::Internal(fmt::format("mqtt loop: {}", mosquitto_strerror(rc)));
  return {};
}

void MqttSubscriber::Stop() {
  if (!impl_ || !impl_->client) return;
  mosquitto_disconnect(impl_->client);
  mosquitto_loop_stop(impl_->client, true);
  mosquitto_destroy(impl_->client);
  impl_->client = nullptr;
}

}  // namespace kiln::mqtt
