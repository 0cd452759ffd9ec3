package run.codetether.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A rendered set of Kubernetes objects (helm template or kubectl kustomize output), parsed from multi-document YAML. */
record Manifests(String source, List<ObjectNode> objects) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    static Manifests parse(String source, String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(source + ": a document is not an object: " + doc);
                }
                out.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": not valid YAML", e);
        }
        return new Manifests(source, List.copyOf(out));
    }

    static String kind(JsonNode o) {
        return o.path("kind").asText();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    static String id(JsonNode o) {
        return kind(o) + "/" + name(o);
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(kind(o)) && name.equals(name(o))).findFirst();
    }

    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(source + ": no " + kind + "/" + name
                + " among " + objects.stream().map(Manifests::id).toList()));
    }

    /** The Deployment of a component (gateway, agent, router, swarm, tools), found by its component label. */
    ObjectNode deployment(String component) {
        return ofKind("Deployment").stream()
                .filter(d -> component.equals(d.path("metadata").path("labels").path("app.kubernetes.io/component").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(source + ": no Deployment for component " + component));
    }

    @Override
    public String toString() {
        return source;
    }
}
