package run.codetether.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Strict validation of rendered objects against the Kubernetes API schema, without a cluster.
 *
 * <p>Built-in kinds pass two independent checks: the official client's generated model
 * ({@code io.kubernetes:client-java-api}, {@code validateJsonElement}: unknown fields, missing required fields, JSON
 * types) and fabric8's model (typed unmarshal, then a walk over every {@code getAdditionalProperties()} so a
 * misspelled field anywhere in the tree is reported with its path). Custom resources (Strimzi, KEDA, Prometheus
 * Operator) have no model here: {@link CustomResourceChecks} checks their required fields by hand. Any other kind is
 * an error, so a new kind cannot slip through unvalidated.
 */
final class KubernetesSchema {
    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    private KubernetesSchema() {}

    /** Every violation found in the object; empty when it is valid. */
    static List<String> violations(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String id = apiVersion + " " + Manifests.id(object);
        List<String> out = new ArrayList<>();
        if (apiVersion.isEmpty() || kind.isEmpty() || Manifests.name(object).isEmpty()) {
            out.add(id + ": apiVersion, kind and metadata.name are required");
            return out;
        }
        if (CustomResourceChecks.handles(apiVersion, kind)) {
            CustomResourceChecks.check(object, out);
            return out;
        }
        String json = object.toString();
        String modelClass = officialModelClass(apiVersion, kind);
        try {
            Class<?> type = Class.forName(modelClass);
            Method validate = type.getMethod("validateJsonElement", com.google.gson.JsonElement.class);
            validate.invoke(null, JsonParser.parseString(json));
        } catch (ClassNotFoundException e) {
            out.add(id + ": not a Kubernetes API kind known to client-java-api (" + modelClass + ")");
            return out;
        } catch (InvocationTargetException e) {
            out.add(id + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        try {
            Object typed = FABRIC8.unmarshal(json, KubernetesResource.class);
            if (typed instanceof GenericKubernetesResource) {
                out.add(id + ": fabric8 has no model for this kind");
            } else {
                walkUnknown(typed, kind, out, id);
            }
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            out.add(id + ": fabric8 rejects the types: " + root.getMessage());
        }
        return out;
    }

    /** io.kubernetes.client.openapi.models.V1Deployment for apps/v1 Deployment, V2HorizontalPodAutoscaler, ... */
    static String officialModelClass(String apiVersion, String kind) {
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        return "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1)
                + kind;
    }

    /** Reports every non-empty additionalProperties map (fields the model does not know) with its path. */
    private static void walkUnknown(Object node, String path, List<String> out, String id) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walkUnknown(item, path + "[" + i++ + "]", out, id);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walkUnknown(v, path + "." + k, out, id));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(id + ": unknown field(s) " + extra.keySet() + " at " + path);
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walkUnknown(value, path + "." + field, out, id);
        }
    }
}
