package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.render.Tables;

/** {@code codetether stats}: tasks, tokens and cost by day, provider and model (GET /v1/stats). */
@Command(name = "stats", description = "Tasks, tokens and cost by day, provider and model (GET /v1/stats).")
public final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day (default: --days before today).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (default: today).")
    LocalDate to;

    @Option(names = "--days", defaultValue = "30", description = "Days back when --from is not given (default ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() throws Exception {
        LocalDate last = to != null ? to : LocalDate.now();
        LocalDate first = from != null ? from : last.minusDays(Math.max(0, days - 1));
        if (first.isAfter(last)) {
            throw new IllegalArgumentException("--from " + first + " is after --to " + last);
        }
        JsonNode body = root.client().getJson("v1/stats?from=" + first + "&to=" + last);
        root.out().print(root.json() ? body.toPrettyString() + "\n" : Tables.stats(body, root.ansi()));
        root.out().flush();
        return ExitCodes.OK;
    }
}
