package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered object, from the chart and from kustomize, validates strictly against the Kubernetes API schema. */
class StrictSchemaTest {

    static Stream<Manifests> sources() {
        return Sources.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void everyObjectIsValid(Manifests manifests) {
        assertFalse(manifests.objects().isEmpty(), manifests + " rendered nothing");
        List<String> violations = new ArrayList<>();
        for (ObjectNode o : manifests.objects()) {
            violations.addAll(KubernetesSchema.violations(o));
        }
        assertTrue(violations.isEmpty(), manifests + ":\n" + String.join("\n", violations));
    }

    /** The validator itself must catch what it claims to: a misspelled field deep in a pod, a missing required one. */
    @Test
    void validatorCatchesMisspelledAndMissingFields() {
        ObjectNode deployment = Sources.chartDefault().deployment("gateway").deepCopy();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.put("imagePullPolicyy", "Always");
        assertTrue(KubernetesSchema.violations(deployment).stream().anyMatch(v -> v.contains("imagePullPolicyy")),
                () -> "misspelled field not reported: " + KubernetesSchema.violations(deployment));

        ObjectNode noName = Sources.chartDefault().deployment("agent").deepCopy();
        ((ObjectNode) noName.at("/spec/template/spec/containers/0")).remove("name");
        assertFalse(KubernetesSchema.violations(noName).isEmpty(), "missing container name not reported");

        ObjectNode badType = Sources.chartDefault().deployment("router").deepCopy();
        ((ObjectNode) badType.at("/spec")).put("replicas", "one");
        assertFalse(KubernetesSchema.violations(badType).isEmpty(), "string replicas not reported");

        ObjectNode topic = Sources.chartStrimzi().ofKind("KafkaTopic").getFirst().deepCopy();
        ((ObjectNode) topic.at("/spec")).put("partitons", 3);
        assertTrue(KubernetesSchema.violations(topic).stream().anyMatch(v -> v.contains("partitons")));

        ObjectNode unknownKind = Sources.chartDefault().deployment("tools").deepCopy();
        unknownKind.put("kind", "Deploymnet");
        assertFalse(KubernetesSchema.violations(unknownKind).isEmpty(), "unknown kind not reported");
    }
}
