package run.codetether.tools.domain.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named allowlists an operator switches on with one setting (Helm: {@code tools.egress.publicRegistries}). HTTPS
 * only (port 443): every registry here serves over TLS, and plain http would let a network attacker swap packages.
 */
public final class EgressPresets {

    public static final Map<String, List<String>> PRESETS = Map.of(
            "package-registries", List.of(
                    // Maven Central and Gradle
                    "repo.maven.apache.org:443", "repo1.maven.org:443", "central.sonatype.com:443",
                    "plugins.gradle.org:443", "plugins-artifacts.gradle.org:443", "services.gradle.org:443",
                    "downloads.gradle.org:443",
                    // npm and yarn
                    "registry.npmjs.org:443", "registry.yarnpkg.com:443", "repo.yarnpkg.com:443",
                    // Python
                    "pypi.org:443", "files.pythonhosted.org:443",
                    // Rust, Go, Ruby, PHP, .NET
                    "crates.io:443", "index.crates.io:443", "static.crates.io:443", "proxy.golang.org:443",
                    "sum.golang.org:443", "rubygems.org:443", "index.rubygems.org:443", "repo.packagist.org:443",
                    "api.nuget.org:443"),
            "git-hosts", List.of(
                    "github.com:443", "codeload.github.com:443", "objects.githubusercontent.com:443",
                    "raw.githubusercontent.com:443", "gitlab.com:443", "bitbucket.org:443"));

    private EgressPresets() {}

    /** The entries of the named presets; an unknown name is an error that lists the known ones. */
    public static List<String> expand(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String key = n.strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            List<String> hosts = PRESETS.get(key);
            if (hosts == null) {
                throw new IllegalArgumentException("unknown egress preset '" + n + "'; known: "
                        + PRESETS.keySet().stream().sorted().toList());
            }
            out.addAll(hosts);
        }
        return out;
    }
}
