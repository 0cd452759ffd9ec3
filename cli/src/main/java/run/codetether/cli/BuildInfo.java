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
