package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** k8s/ is checked against the chart, its source of truth: the base file by file, each overlay object by object. */
class KustomizeTest {

    @BeforeAll
    static void regenerateWhenAsked() {
        if (Boolean.getBoolean("codetether.k8s.regenerate")) {
            KustomizeTree.writeBase(KustomizeTree.expectedBase(Sources.chartDefault()));
        }
    }

    @Test
    void baseIsTheChartsDefaultRender() {
        Map<String, String> expected = KustomizeTree.expectedBase(Sources.chartDefault());
        Map<String, String> actual = KustomizeTree.actualBase();
        assertEquals(expected.keySet(), actual.keySet(),
                "k8s/base files differ from the chart's objects; regenerate with -Dcodetether.k8s.regenerate=true");
        for (String file : expected.keySet()) {
            assertEquals(expected.get(file), actual.get(file),
                    "k8s/base/" + file + " drifted from helm/codetether; regenerate with -Dcodetether.k8s.regenerate=true");
        }
    }

    @Test
    void kustomizeBuildOfTheBaseEqualsTheChart() {
        assumeTrue(Renderer.kubectlAvailable(), "kubectl is not installed");
        assertSameObjects(KustomizeTree.index(Sources.chartDefault()), KustomizeTree.index(Sources.kustomize("base")));
    }

    /** Each overlay keeps the chart values it stands for in its own values.yaml; the build must equal that render. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void overlayEqualsTheChartRenderedWithItsValues(String overlay) {
        assumeTrue(Renderer.kubectlAvailable(), "kubectl is not installed");
        String dir = "overlays/" + overlay;
        Manifests chart = Renderer.chart(dir, RepoPaths.k8s().resolve(dir).resolve("values.yaml"));
        assertSameObjects(KustomizeTree.index(chart), KustomizeTree.index(Sources.kustomize(dir)));
    }

    private static void assertSameObjects(Map<String, ObjectNode> chart, Map<String, ObjectNode> kustomize) {
        assertEquals(chart.keySet(), kustomize.keySet(), "objects rendered by the chart vs kustomize");
        List<String> diffs = new ArrayList<>();
        for (String id : chart.keySet()) {
            if (!chart.get(id).equals(kustomize.get(id))) {
                diffs.add(id + "\n  chart:     " + chart.get(id) + "\n  kustomize: " + kustomize.get(id));
            }
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }
}
