package run.codetether.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand checks for the custom resources the chart may render. No OpenAPI model of these CRDs is available offline, so
 * each kind lists the fields its operator requires (from the CRD's published schema) and the fields the chart relies
 * on; unknown top-level spec fields are reported too.
 */
final class CustomResourceChecks {
    private record Shape(List<String> required, Set<String> specFields) {}

    private static final Map<String, Shape> SHAPES = Map.of(
            "keda.sh/v1alpha1 ScaledObject", new Shape(
                    List.of("spec.scaleTargetRef.name", "spec.triggers.0.type", "spec.triggers.0.metadata.bootstrapServers",
                            "spec.triggers.0.metadata.consumerGroup", "spec.triggers.0.metadata.topic",
                            "spec.triggers.0.metadata.lagThreshold"),
                    Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod",
                            "idleReplicaCount", "fallback", "advanced", "triggers", "initialCooldownPeriod")),
            "keda.sh/v1alpha1 TriggerAuthentication", new Shape(
                    List.of("spec.secretTargetRef.0.parameter", "spec.secretTargetRef.0.name", "spec.secretTargetRef.0.key"),
                    Set.of("secretTargetRef", "env", "hashiCorpVault", "podIdentity", "configMapTargetRef")),
            "kafka.strimzi.io/v1beta2 Kafka", new Shape(
                    List.of("spec.kafka.listeners.0.name", "spec.kafka.listeners.0.port", "spec.kafka.listeners.0.type",
                            "spec.kafka.listeners.0.tls", "spec.kafka.version"),
                    Set.of("kafka", "zookeeper", "entityOperator", "clusterCa", "clientsCa", "cruiseControl",
                            "kafkaExporter", "maintenanceTimeWindows")),
            "kafka.strimzi.io/v1beta2 KafkaNodePool", new Shape(
                    List.of("metadata.labels.strimzi\\.io/cluster", "spec.replicas", "spec.roles.0", "spec.storage.type"),
                    Set.of("replicas", "roles", "storage", "resources", "jvmOptions", "template")),
            "kafka.strimzi.io/v1beta2 KafkaTopic", new Shape(
                    List.of("metadata.labels.strimzi\\.io/cluster", "spec.topicName", "spec.partitions", "spec.replicas"),
                    Set.of("topicName", "partitions", "replicas", "config")),
            "monitoring.coreos.com/v1 ServiceMonitor", new Shape(
                    List.of("spec.selector.matchLabels", "spec.endpoints.0.port"),
                    Set.of("selector", "endpoints", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels",
                            "sampleLimit")));

    private CustomResourceChecks() {}

    static boolean handles(String apiVersion, String kind) {
        return SHAPES.containsKey(apiVersion + " " + kind);
    }

    static void check(JsonNode object, List<String> out) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        Shape shape = SHAPES.get(key);
        String id = key + "/" + Manifests.name(object);
        for (String path : shape.required()) {
            if (at(object, path).isMissingNode() || at(object, path).isNull()) {
                out.add(id + ": required field " + path + " is missing");
            }
        }
        object.path("spec").fieldNames().forEachRemaining(f -> {
            if (!shape.specFields().contains(f)) {
                out.add(id + ": unknown field spec." + f);
            }
        });
        object.fieldNames().forEachRemaining(f -> {
            if (!Set.of("apiVersion", "kind", "metadata", "spec").contains(f)) {
                out.add(id + ": unknown top-level field " + f);
            }
        });
        if (key.endsWith("KafkaTopic") && !object.path("spec").path("partitions").isInt()) {
            out.add(id + ": spec.partitions must be an integer");
        }
        if (key.endsWith("ScaledObject")) {
            object.path("spec").path("triggers").forEach(t -> t.path("metadata").forEach(v -> {
                if (!v.isTextual()) {
                    out.add(id + ": KEDA trigger metadata values must be strings, got " + v);
                }
            }));
        }
    }

    /** Dotted path lookup; numeric segments index arrays; "\\." escapes a dot inside a key. */
    static JsonNode at(JsonNode node, String path) {
        JsonNode cur = node;
        for (String raw : path.split("(?<!\\\\)\\.")) {
            String seg = raw.replace("\\.", ".");
            cur = seg.chars().allMatch(Character::isDigit) && cur.isArray() ? cur.path(Integer.parseInt(seg)) : cur.path(seg);
        }
        return cur;
    }
}
