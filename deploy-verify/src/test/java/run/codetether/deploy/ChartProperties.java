package run.codetether.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The chart rendered with a values snippet, and a properties file a rendered ConfigMap carries. */
final class ChartProperties {
    private ChartProperties() {}

    /** The chart with its defaults and {@code yaml} laid over them (written into {@code dir}). */
    static Manifests render(Path dir, String label, String yaml) throws IOException {
        Path values = dir.resolve(label + "-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(values, yaml);
        return Renderer.chart(label, values);
    }

    /** The entries of the properties file {@code key} of ConfigMap {@code configMap}, sorted. */
    static Map<String, String> of(Manifests m, String configMap, String key) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(m.get("ConfigMap", configMap).at("/data/" + key).asText()));
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }
}
