package run.codetether.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * k8s/ is generated from the chart, which is the single source of truth. k8s/base holds the chart rendered with its
 * default values (release "codetether", namespace "codetether"), Helm-only metadata removed; each overlay holds the
 * kustomize patches that turn the base into the chart rendered with the overlay's own {@code values.yaml}. The tests
 * compare both; {@code -Dcodetether.k8s.regenerate=true} rewrites the base after a chart change.
 */
final class KustomizeTree {
    /** Every kustomize build the tests run. */
    static final List<String> BUILDS = List.of("base", "overlays/dev", "overlays/gpu");

    private static final String HEADER = "# GENERATED from helm/codetether with default values; do not edit.\n"
            + "# Regenerate: ./mvnw -pl deploy-verify -am verify -Dcodetether.k8s.regenerate=true\n";

    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper WRITER =
            com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder()
                    .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build();

    private KustomizeTree() {}

    /**
     * The same object without what only Helm or only kustomize adds: the chart label, the manager label and the
     * config checksum (kustomize patches a ConfigMap without touching the pod template).
     */
    static ObjectNode normalize(ObjectNode in) {
        ObjectNode o = in.deepCopy();
        stripLabels(o.path("metadata"));
        JsonNode template = o.path("spec").path("template");
        if (template.isObject()) {
            stripLabels(template.path("metadata"));
            JsonNode ann = template.path("metadata").path("annotations");
            if (ann instanceof ObjectNode a) {
                a.remove("checksum/config");
            }
        }
        return o;
    }

    private static void stripLabels(JsonNode metadata) {
        if (metadata.path("labels") instanceof ObjectNode labels) {
            labels.remove("helm.sh/chart");
            labels.remove("app.kubernetes.io/managed-by");
        }
    }

    /** Objects keyed by kind/name, normalized, in a stable order. */
    static Map<String, ObjectNode> index(Manifests m) {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (ObjectNode o : m.objects()) {
            if (out.put(Manifests.id(o), normalize(o)) != null) {
                throw new AssertionError(m + ": duplicate " + Manifests.id(o));
            }
        }
        return out;
    }

    /** File name of an object in k8s/base. */
    static String fileName(JsonNode o) {
        return Manifests.kind(o).toLowerCase(Locale.ROOT) + "-" + Manifests.name(o) + ".yaml";
    }

    /** The k8s/base files the chart's default render produces: one per object plus kustomization.yaml. */
    static Map<String, String> expectedBase(Manifests chartDefault) {
        Map<String, String> files = new TreeMap<>();
        for (ObjectNode o : index(chartDefault).values()) {
            files.put(fileName(o), HEADER + toYaml(o));
        }
        StringBuilder k = new StringBuilder(HEADER)
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\n")
                .append("kind: Kustomization\n")
                .append("namespace: ").append(Renderer.NAMESPACE).append('\n')
                .append("resources:\n");
        files.keySet().forEach(f -> k.append("  - ").append(f).append('\n'));
        files.put("kustomization.yaml", k.toString());
        return files;
    }

    /** The files now in k8s/base. */
    static Map<String, String> actualBase() {
        Map<String, String> files = new TreeMap<>();
        Path base = RepoPaths.k8s().resolve("base");
        if (!Files.isDirectory(base)) {
            return files;
        }
        try (Stream<Path> list = Files.list(base)) {
            for (Path p : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Replaces k8s/base with the expected files (the only writer of that directory). */
    static void writeBase(Map<String, String> files) {
        Path base = RepoPaths.k8s().resolve("base");
        try {
            Files.createDirectories(base);
            for (String stale : new ArrayList<>(actualBase().keySet())) {
                if (!files.containsKey(stale)) {
                    Files.delete(base.resolve(stale));
                }
            }
            for (var e : files.entrySet()) {
                Files.writeString(base.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String toYaml(JsonNode o) {
        try {
            return WRITER.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
