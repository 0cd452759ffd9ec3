package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import run.codetether.cli.CommandContext;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.a2a.CancelOnInterrupt;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.render.RunPrinter;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.turn.Turn;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Sends one message with SendStreamingMessage (or SendMessage for {@code --no-stream}/{@code --detach}) and shows
 * the task: readable lines, or one JSON object per event with {@code --json}. Remembers the conversation in the
 * session index. Answers the exit code of the task's end state.
 */
final class TaskStream {
    private TaskStream() {}

    static int run(CommandContext root, Outgoing message, String firstText, boolean noStream, boolean detach)
            throws Exception {
        return runTask(root, message, firstText, noStream, detach).exit();
    }

    /** How a run ended: its exit code, and the task (empty when none was created) in its last known state. */
    record Ended(int exit, String taskId, String state) {}

    static Ended runTask(CommandContext root, Outgoing message, String firstText, boolean noStream, boolean detach)
            throws Exception {
        A2aClient client = root.client();
        PrintWriter out = root.out();
        boolean json = root.json();
        if (noStream || detach) {
            message.returnImmediately(detach);
            JsonNode result = client.call("SendMessage", message.params());
            Turn turn = new Turn(System.nanoTime());
            turn.apply(result, System.nanoTime());
            remember(root, turn, firstText, message);
            if (json) {
                out.println(result.toPrettyString());
            } else if (detach) {
                out.println("task " + turn.taskId() + " (context " + turn.contextId() + "): " + turn.state());
                out.println("follow it with: codetether follow " + turn.taskId());
            } else {
                new RunPrinter(out, root.ansi(), false).finish(turn, System.nanoTime());
            }
            out.flush();
            return new Ended(detach ? ExitCodes.OK : exitCode(turn), turn.taskId(), turn.state());
        }
        Turn turn = new Turn(System.nanoTime());
        RunPrinter printer = new RunPrinter(out, root.ansi(), root.tty());
        boolean[] remembered = {false};
        // Ctrl+C while the task streams cancels it (as the TUI's Ctrl+C does) instead of leaving it running unseen
        try (CancelOnInterrupt interrupt = new CancelOnInterrupt(client, root.err())) {
            client.stream("SendStreamingMessage", message.params(), interrupt.watched(event -> {
                long now = System.nanoTime();
                boolean end = turn.apply(event, now);
                if (!remembered[0] && !turn.contextId().isEmpty()) {
                    remembered[0] = true;
                    remember(root, turn, firstText, message);
                }
                if (json) {
                    out.println(event.toString());
                    out.flush();
                } else {
                    printer.sync(turn, now);
                }
                return !end;
            }));
        }
        if (!turn.ended() && !turn.waiting()) {
            turn.abort("the stream ended before the task did; follow it: codetether follow " + turn.taskId(),
                    System.nanoTime());
        }
        if (!json) {
            printer.finish(turn, System.nanoTime());
        }
        return new Ended(exitCode(turn), turn.taskId(), turn.state());
    }

    static int exitCode(Turn turn) {
        if (turn.waiting()) {
            return ExitCodes.NEEDS_INPUT;
        }
        return switch (turn.state()) {
            case "failed", "rejected", "canceled" -> ExitCodes.TASK_FAILED;
            default -> ExitCodes.OK;
        };
    }

    private static void remember(CommandContext root, Turn turn, String firstText, Outgoing message) {
        if (turn.contextId().isEmpty()) {
            return;
        }
        try {
            JsonNode meta = message.params().path("metadata");
            String model = meta.has(MetadataKeys.MODEL)
                    ? meta.path(MetadataKeys.PROVIDER).asText("") + "/" + meta.path(MetadataKeys.MODEL).asText() : null;
            new SessionIndex(SessionIndex.defaultPath()).touch(turn.contextId(), firstText,
                    Path.of("").toAbsolutePath().toString(), root.gatewayUrl(), model, turn.taskId(), Instant.now());
        } catch (Exception e) {
            root.err().println("note: could not record the session locally: " + e.getMessage());
        }
    }
}
