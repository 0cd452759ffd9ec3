package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.render.Tables;

/**
 * {@code codetether stats}: tasks, tokens and cost by UTC day, provider and model (GET /v1/stats), for the tenants the
 * caller's key may read (a tenant column when there are several).
 */
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

    @Option(names = "--tenant", paramLabel = "T", description = "One tenant (default: every tenant your key may read).")
    String tenant;

    @Override
    public Integer call() throws Exception {
        LocalDate last = to != null ? to : LocalDate.now(ZoneOffset.UTC); // the spend is kept per UTC day
        LocalDate first = from != null ? from : last.minusDays(Math.max(0, days - 1));
        if (first.isAfter(last)) {
            throw new IllegalArgumentException("--from " + first + " is after --to " + last);
        }
        String query = "v1/stats?from=" + first + "&to=" + last
                + (tenant == null || tenant.isBlank() ? "" : "&tenant=" + URLEncoder.encode(tenant.strip(),
                        StandardCharsets.UTF_8));
        JsonNode body = root.client().getJson(query);
        root.out().print(root.json() ? body.toPrettyString() + "\n" : Tables.stats(body, root.ansi()));
        root.out().flush();
        return ExitCodes.OK;
    }
}
