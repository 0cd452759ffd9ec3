package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;

/** The chart's KafkaTopic resources are exactly the platform's topics as declared once in contracts. */
class KafkaTopicsTest {

    @Test
    void strimziTopicsMatchTheContracts() throws java.io.IOException {
        Manifests m = Sources.chartStrimzi();
        int work = Manifests.YAML.readTree(RepoPaths.testValues("strimzi.yaml").toFile())
                .at("/kafka/topics/workPartitions").asInt();
        Map<String, String> expected = expected(work);
        Map<String, String> rendered = new TreeMap<>();
        for (ObjectNode t : m.ofKind("KafkaTopic")) {
            String max = t.at("/spec/config/max.message.bytes").asText();
            rendered.put(t.at("/spec/topicName").asText(), t.at("/spec/partitions").asInt() + " "
                    + t.at("/spec/config/cleanup.policy").asText() + (max.isEmpty() ? "" : " " + max));
            assertEquals(3, t.at("/spec/replicas").asInt(), Manifests.id(t));
        }
        assertEquals(expected, rendered);
    }

    /** BYO Kafka: the pre-install Job creates the same topics with the same layout. */
    @Test
    void topicJobCreatesTheContractTopics() throws java.io.IOException {
        Manifests m = Sources.chartAllFeatures();
        int work = Manifests.YAML.readTree(RepoPaths.testValues("all-features.yaml").toFile())
                .at("/kafka/topics/workPartitions").asInt();
        ObjectNode job = m.get("Job", "codetether-kafka-topics");
        assertEquals("pre-install,pre-upgrade", job.at("/metadata/annotations/" + Renderer.HOOK_MARKER.replace("/", "~1")).asText());
        String script = job.at("/spec/template/spec/containers/0/args/0").asText();
        Map<String, String> created = new TreeMap<>();
        for (String line : script.lines().map(String::strip).filter(l -> l.startsWith("create ")).toList()) {
            String[] f = line.split(" ");
            created.put(f[1], f[2] + " " + f[3] + (f.length > 4 ? " " + f[4] : ""));
        }
        assertEquals(expected(work), created);
        assertEquals(m.get("ConfigMap", "codetether-agent").at("/data/CODETETHER_KAFKA_BOOTSTRAP").asText(),
                job.at("/spec/template/spec/containers/0/env/0/value").asText(), "the Job creates topics where the services look");
        org.junit.jupiter.api.Assertions.assertTrue(Sources.chartDefault().ofKind("Job").isEmpty(), "off by default");
        org.junit.jupiter.api.Assertions.assertTrue(Sources.chartStrimzi().ofKind("Job").isEmpty(), "Strimzi makes KafkaTopics");
    }

    @Test
    void servicesPointAtTheStrimziBootstrap() {
        Manifests m = Sources.chartStrimzi();
        ObjectNode kafka = m.ofKind("Kafka").getFirst();
        String bootstrap = Manifests.name(kafka) + "-kafka-bootstrap." + Renderer.NAMESPACE + ".svc:9092";
        for (String component : new String[] {"gateway", "agent", "swarm"}) {
            assertEquals(bootstrap, m.get("ConfigMap", "codetether-" + component).at("/data/CODETETHER_KAFKA_BOOTSTRAP").asText());
        }
        assertEquals(9092, kafka.at("/spec/kafka/listeners/0/port").asInt());
    }

    /** name -> "partitions policy [max.message.bytes]" as the contracts declare them. */
    private static Map<String, String> expected(int work) {
        Map<String, String> expected = new TreeMap<>();
        for (Topics.Spec spec : Topics.all(work)) {
            expected.put(spec.name(), spec.partitions() + (spec.compacted() ? " compact" : " delete")
                    + (spec.maxMessageBytes() > 0 ? " " + spec.maxMessageBytes() : ""));
        }
        return expected;
    }
}
