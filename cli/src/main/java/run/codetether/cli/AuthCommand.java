package run.codetether.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import run.codetether.platform.json.Json;

/** Local provider keys for the local stack (no Vault). In a cluster, keys live in Vault only. */
@Command(name = "auth", description = "Manage provider API keys in the local secret file (used when no Vault is configured).",
        subcommands = {AuthCommand.Add.class, AuthCommand.ListKeys.class, AuthCommand.Remove.class,
            CopilotLogin.class})
final class AuthCommand {
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    static String checkedProvider(String provider) {
        if (!PROVIDER.matcher(provider).matches()) {
            throw new IllegalArgumentException("provider names are lower-case letters, digits and '-': " + provider);
        }
        return provider;
    }

    @Command(name = "add", description = "Store a provider's API key (read without echo; or from stdin with --stdin).")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "PROVIDER", description = "e.g. anthropic, moonshotai, openrouter, google") String provider;
        @Option(names = "--stdin", description = "Read the key from standard input.") boolean fromStdin;
        @Option(names = "--secrets-file", hidden = true) java.nio.file.Path secretsFile;

        @Override
        public Integer call() throws Exception {
            checkedProvider(provider);
            String key;
            Console console = System.console();
            if (!fromStdin && console != null) {
                char[] typed = console.readPassword("API key for %s: ", provider);
                key = typed == null ? "" : new String(typed);
            } else {
                key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            if (key == null || key.isBlank()) {
                spec.commandLine().getErr().println("no key given; nothing stored");
                return 1;
            }
            SecretsFile file = new SecretsFile(secretsFile != null ? secretsFile : SecretsFile.defaultPath());
            file.put(provider, key.strip());
            if (json(spec)) {
                spec.commandLine().getOut().println(Json.mapper().createObjectNode().put("provider", provider)
                        .put("stored", true).put("file", file.path().toString()).toString());
            } else {
                spec.commandLine().getOut().println("stored the key for " + provider + " in " + file.path() + " (mode 600)");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List providers that have a stored key (never the keys).")
    static final class ListKeys implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<String> names = new SecretsFile(SecretsFile.defaultPath()).providers();
            if (json(spec)) {
                spec.commandLine().getOut().println(Json.mapper().writeValueAsString(names));
                return 0;
            }
            for (String name : names) {
                spec.commandLine().getOut().println(name);
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a provider's stored key.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "PROVIDER") String provider;
        @Option(names = "--secrets-file", hidden = true) java.nio.file.Path secretsFile;

        @Override
        public Integer call() throws Exception {
            boolean removed = new SecretsFile(secretsFile != null ? secretsFile : SecretsFile.defaultPath())
                    .remove(checkedProvider(provider));
            if (json(spec)) {
                spec.commandLine().getOut().println(Json.mapper().createObjectNode().put("provider", provider)
                        .put("removed", removed).toString());
            } else {
                spec.commandLine().getOut().println(removed ? "removed " + provider : "no key stored for " + provider);
            }
            return removed ? 0 : 1;
        }
    }

    /** {@code --json} of the command line (an inherited global option). */
    static boolean json(CommandSpec spec) {
        return ((CodetetherCli) spec.root().userObject()).json();
    }
}
