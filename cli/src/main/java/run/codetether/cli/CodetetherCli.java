package run.codetether.cli;

import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code codetether}: talks to a CodeTether gateway over A2A only. */
@Command(name = "codetether", mixinStandardHelpOptions = true, version = "codetether 0.1.0",
        description = "CodeTether command line: send coding tasks to a CodeTether gateway over A2A and follow them live.",
        subcommands = {SendCommand.class, TaskCommands.Get.class, TaskCommands.ListTasks.class,
            TaskCommands.Cancel.class, TaskCommands.Subscribe.class, CardCommand.class, AuthCommand.class,
            CommandLine.HelpCommand.class})
public final class CodetetherCli {

    @Option(names = "--url", description = "Gateway A2A endpoint (env CODETETHER_URL; default ${DEFAULT-VALUE}).",
            defaultValue = "${env:CODETETHER_URL:-http://localhost:8080/}")
    String url;

    @Option(names = "--api-key", description = "API key or bearer token for the gateway (env CODETETHER_API_KEY).",
            defaultValue = "${env:CODETETHER_API_KEY}")
    String apiKey;

    A2aClient client() {
        String base = url.endsWith("/") ? url : url + "/";
        return new A2aClient(URI.create(base), apiKey);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CodetetherCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof A2aClient.A2aException a2a) {
                cmd.getErr().println("error " + a2a.code + ": " + a2a.getMessage()
                        + (a2a.data != null && !a2a.data.isNull() ? " " + a2a.data : ""));
            } else if (e instanceof java.net.ConnectException) {
                cmd.getErr().println("cannot reach the gateway at " + ((CodetetherCli) parsed.commandSpec().root()
                        .userObject()).url + " (is it running? ./codetether up)");
            } else {
                cmd.getErr().println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            return 1;
        });
        return cli;
    }
}
