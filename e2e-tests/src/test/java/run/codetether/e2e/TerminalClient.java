package run.codetether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The packaged CLI jar and a private home for it (config.toml, sessions), as a user's machine would have. */
final class TerminalClient {
    final Path home;
    final Path jar;

    TerminalClient(Path home) throws IOException {
        this.home = home;
        Path root = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(root.resolve("cli/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("cli-.*-runner\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("cli/target/cli-*-runner.jar is missing: package cli first"));
        }
        Files.createDirectories(configFile().getParent());
    }

    Path configFile() {
        return home.resolve("config/codetether-agent/config.toml");
    }

    Map<String, String> env() {
        return Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
                "XDG_DATA_HOME", home.resolve("data").toString(), "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                "CODETETHER_SECRETS_FILE", home.resolve("secrets.json").toString());
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
