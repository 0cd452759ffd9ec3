package run.codetether.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The rendered platforms every invariant and schema test runs over: the chart with the default, all-features and
 * Strimzi values, and the kustomize base and overlays (when kubectl exists). Rendered once per test JVM.
 */
final class Sources {
    private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

    private Sources() {}

    static Manifests chartDefault() {
        return cached("chart-default", () -> Renderer.chart("default"));
    }

    static Manifests chartAllFeatures() {
        return cached("chart-all", () -> Renderer.chart("all-features", RepoPaths.testValues("all-features.yaml")));
    }

    static Manifests chartStrimzi() {
        return cached("chart-strimzi", () -> Renderer.chart("strimzi", RepoPaths.testValues("strimzi.yaml")));
    }

    static Manifests kustomize(String dir) {
        return cached("kustomize-" + dir, () -> Renderer.kustomize(dir));
    }

    /** Chart renders always; the kustomize renders only where kubectl is installed. */
    static List<Manifests> all() {
        List<Manifests> out = new ArrayList<>(List.of(chartDefault(), chartAllFeatures(), chartStrimzi()));
        if (Renderer.kubectlAvailable()) {
            for (String dir : KustomizeTree.BUILDS) {
                out.add(kustomize(dir));
            }
        }
        return out;
    }

    /** Whether the router of this render runs in GPU mode (all-features and the gpu overlay do). */
    static boolean gpu(Manifests m) {
        return m.source().contains("all-features") || m.source().contains("overlays/gpu");
    }

    private static Manifests cached(String key, Supplier<Manifests> render) {
        return CACHE.computeIfAbsent(key, k -> render.get());
    }
}
