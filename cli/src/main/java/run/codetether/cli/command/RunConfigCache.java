package run.codetether.cli.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import run.codetether.cli.LauncherFile;
import run.codetether.cli.config.CliConfig;

/**
 * What {@code run}'s first request takes from config.toml, kept for the launcher, which sends that request itself
 * before the JVM starts ({@link run.codetether.cli.a2a.LauncherRequest}): bash cannot read TOML, nor know the JVM's
 * {@code user.home} (the passwd entry's, not {@code $HOME}). The launcher names the file
 * ({@code -Dcodetether.run.config-cache}) and the key of what the config's path depends on
 * ({@code -Dcodetether.run.config-key}: the jar's stamp, the user, {@code HOME}, {@code XDG_CONFIG_HOME},
 * {@code CODETETHER_CONFIG}); the file holds that key, the path and content of the config.toml this JVM read, then
 * its {@code [default] provider} and {@code model}, {@code [agent] access_mode} (in its wire spelling) and
 * {@code [a2a] server_url}, each empty when not set. The launcher uses them only while the key and the file's content
 * are the same; a config this JVM cannot read keeps no file (the JVM path reports it).
 */
public final class RunConfigCache {
    /** The hidden command the launcher runs after it built the CLI, so that the first {@code run} finds the file. */
    public static final String COMMAND = "__run-config";

    private static final String FILE = System.getProperty("codetether.run.config-cache");
    private static final String KEY = System.getProperty("codetether.run.config-key");

    private RunConfigCache() {}

    /** Keeps the file for the launcher's next {@code run}; best effort, after the command has done its work. */
    public static void keep() {
        if (FILE == null || KEY == null) {
            return;
        }
        LauncherFile.keep(Path.of(FILE), content(KEY, CliConfig.defaultPath()));
    }

    /** The file's bytes for {@code config}, or null when it cannot be read (or a value holds a NUL). */
    static byte[] content(String key, Path config) {
        CliConfig c;
        try {
            c = CliConfig.load(config);
        } catch (java.io.IOException | RuntimeException broken) {
            return null;
        }
        return LauncherFile.join(LauncherFile.withConfig(key, config, bytes(c.provider()), bytes(c.model()),
                bytes(c.accessMode()), bytes(c.serverUrl())));
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
