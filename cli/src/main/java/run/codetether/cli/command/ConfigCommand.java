package run.codetether.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.config.CliConfig;
import run.codetether.platform.json.Json;

/** {@code codetether config --show | --set k=v | set k v | --init}: the original's config.toml. */
@Command(name = "config", description = "Show or change ~/.config/codetether-agent/config.toml.",
        subcommands = ConfigCommand.Set.class)
public final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Option(names = "--show", description = "Print the effective configuration and the file it comes from.")
    boolean show;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a key (same as: config set KEY VALUE).")
    String set;

    @Option(names = "--init", description = "Write a config.toml with the defaults when none exists.")
    boolean init;

    @Option(names = "--path", hidden = true)
    Path path;

    Path file() {
        return path != null ? path : CliConfig.defaultPath();
    }

    @Override
    public Integer call() throws Exception {
        if (set != null) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, e.g. --set ui.theme=dark");
            }
            return doSet(set.substring(0, eq).strip(), set.substring(eq + 1).strip());
        }
        if (init) {
            Path f = file();
            boolean exists = Files.exists(f);
            if (!exists) {
                Files.createDirectories(f.toAbsolutePath().getParent());
                Files.writeString(f, CliConfig.DEFAULTS.effectiveToml().replace("\"\"  # not set", "\"\""));
            }
            if (root.json()) {
                root.out().println(Json.mapper().createObjectNode().put("file", f.toString()).put("written", !exists));
            } else {
                root.out().println(exists ? f + " exists; left as it is" : "wrote " + f);
            }
            root.out().flush();
            return ExitCodes.OK;
        }
        CliConfig c = CliConfig.load(file());
        if (root.json()) {
            ObjectNode out = Json.mapper().createObjectNode();
            out.put("file", file().toString());
            out.put("exists", Files.exists(file()));
            out.putObject("default").put("provider", c.provider()).put("model", c.model());
            out.putObject("ui").put("theme", c.theme()).put("hot_reload", c.hotReload());
            out.putObject("a2a").put("server_url", c.serverUrl()).put("effective_url", root.gatewayUrl());
            out.putObject("agent").put("access_mode", c.accessMode());
            root.out().println(out.toPrettyString());
        } else {
            root.out().println("# " + file() + (Files.exists(file()) ? "" : " (absent: defaults)"));
            root.out().print(c.effectiveToml());
            root.out().println("# gateway in use: " + root.gatewayUrl());
        }
        root.out().flush();
        return ExitCodes.OK;
    }

    int doSet(String key, String value) throws Exception {
        CliConfig.set(file(), key, value);
        if (root.json()) {
            root.out().println(Json.mapper().createObjectNode().put("file", file().toString())
                    .put("key", CliConfig.KEYS.get(key)).put("value", value));
        } else {
            root.out().println("set " + CliConfig.KEYS.get(key) + " = " + value + " in " + file());
        }
        root.out().flush();
        return ExitCodes.OK;
    }

    @Command(name = "set", description = "Set a key: default.provider, default.model, ui.theme, ui.hot_reload, a2a.server_url, agent.access_mode.")
    static final class Set implements Callable<Integer> {
        @ParentCommand ConfigCommand config;
        @Parameters(index = "0", paramLabel = "KEY") String key;
        @Parameters(index = "1", paramLabel = "VALUE") String value;

        @Override
        public Integer call() throws Exception {
            return config.doSet(key, value);
        }
    }
}
