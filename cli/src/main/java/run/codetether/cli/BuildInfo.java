package run.codetether.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build's version, time and commit, written into the jar by the Maven build. */
public final class BuildInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    /** The one line {@code --version} prints (also without picocli: {@link Main}). */
    public static String line() {
        Properties p = properties();
        String commit = p.getProperty("commit", "");
        return "codetether " + p.getProperty("version", "unknown")
                + " (build " + p.getProperty("time", "unknown") + (commit.isBlank() || commit.startsWith("$") ? "" : ", commit " + commit)
                + ", Java " + Runtime.version().feature() + ")";
    }

    /** {@code --version --json}: the same facts as one JSON object ({@code commit} null when the build has none). */
    public static String json() {
        Properties p = properties();
        String commit = p.getProperty("commit", "");
        var out = run.codetether.platform.json.Json.mapper().createObjectNode();
        out.put("name", "codetether").put("version", p.getProperty("version", "unknown"))
                .put("build_time", p.getProperty("time", "unknown"))
                .put("commit", commit.isBlank() || commit.startsWith("$") ? null : commit)
                .put("java", Runtime.version().feature());
        return out.toString();
    }

    public static String version() {
        return properties().getProperty("version", "unknown");
    }

    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/codetether-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build info: "unknown"
        }
        return p;
    }
}
