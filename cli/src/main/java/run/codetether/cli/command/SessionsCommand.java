package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.platform.json.Json;

/** {@code codetether sessions [list] | resume ID | delete ID}: conversations started here. */
@Command(name = "sessions", description = "List, resume or delete the sessions (conversations) started from this machine.",
        subcommands = {SessionsCommand.Resume.class, SessionsCommand.Delete.class})
public final class SessionsCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @ParentCommand
    CodetetherCli root;

    @Option(names = {"-a", "--all"}, description = "Sessions of every directory, not only this one.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        String here = Path.of("").toAbsolutePath().toString();
        List<SessionIndex.Entry> entries = new SessionIndex(SessionIndex.defaultPath()).list(all ? null : here);
        PrintWriter out = root.out();
        if (root.json()) {
            ArrayNode list = Json.mapper().createArrayNode();
            for (SessionIndex.Entry e : entries) {
                list.addObject().put("contextId", e.contextId()).put("title", e.title()).put("directory", e.directory())
                        .put("gateway", e.gateway()).put("model", e.model()).put("lastTaskId", e.lastTaskId())
                        .put("created", e.created().toString()).put("updated", e.updated().toString())
                        .put("turns", e.turns());
            }
            out.println(list.toPrettyString());
        } else if (entries.isEmpty()) {
            out.println(all ? "no sessions yet" : "no sessions in " + here + " (--all for every directory)");
        } else {
            for (SessionIndex.Entry e : entries) {
                out.printf("%-12s  %s  %3d turn%s  %-60s%s%n", e.contextId().length() > 12 ? e.contextId().substring(0, 12)
                        : e.contextId(), WHEN.format(e.updated()), e.turns(), e.turns() == 1 ? " " : "s", e.title(),
                        all ? "  " + e.directory() : "");
            }
            out.println(root.ansi().dim("resume one: codetether sessions resume ID  (or /resume ID in the TUI)"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "resume", description = "Open a session in the TUI (on a terminal) or print its transcript.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand SessionsCommand sessions;
        @Parameters(paramLabel = "ID", description = "Session id or a unique prefix (default: the last one here).", arity = "0..1") String id;

        @Override
        public Integer call() throws Exception {
            CodetetherCli root = sessions.root;
            String contextId = id == null ? RunCommand.resolveSession(null, true) : RunCommand.resolveSession(id, false);
            if (!root.json() && run.codetether.cli.Tty.interactive()) {
                return new TuiCommand().launch(root, contextId, null, null);
            }
            Transcript t = Transcript.load(root.client(), contextId);
            if (root.json()) {
                ArrayNode turns = Json.mapper().createArrayNode();
                for (JsonNode task : t.tasks()) {
                    turns.add(task);
                }
                root.out().println(turns.toPrettyString());
            } else {
                for (Transcript.Line line : t.lines()) {
                    root.out().println((line.role().equals("user") ? "› " : "") + line.text());
                    root.out().println();
                }
                root.out().println(root.ansi().dim("continue with: codetether run -s " + contextId + " \"...\""));
            }
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Forget a session on this machine (the platform keeps its tasks until their retention).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand SessionsCommand sessions;
        @Parameters(paramLabel = "ID", description = "Session id or a unique prefix.") String id;

        @Override
        public Integer call() throws Exception {
            SessionIndex index = new SessionIndex(SessionIndex.defaultPath());
            var entry = index.find(id);
            if (entry.isEmpty()) {
                sessions.root.err().println("codetether: no session '" + id + "' here (codetether sessions --all)");
                return ExitCodes.TASK_FAILED;
            }
            index.delete(entry.get().contextId());
            sessions.root.out().println("deleted session " + entry.get().contextId() + " (" + entry.get().title()
                    + ") from this machine's list; the gateway has no delete for conversations yet, so its tasks "
                    + "stay there until their retention ends");
            return ExitCodes.OK;
        }
    }
}
