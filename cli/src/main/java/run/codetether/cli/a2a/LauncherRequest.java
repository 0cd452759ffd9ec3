package run.codetether.cli.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code run}'s first request as the launcher sent it before the JVM started (docs/cli.md "Start-up"): for the plain
 * command lines it can build exactly, the launcher (bash) connects to a loopback gateway, writes the same request
 * {@link PlainHttp} would write and starts the JVM with that connection as its standard input, so the gateway works
 * on the task while the JVM starts. The launcher names what it wrote: {@code -Dcodetether.run.sent} (the request
 * with the {@code Authorization} value left out: a command line is no place for a key) and
 * {@code -Dcodetether.run.message-id} (the message id it drew, which the first {@link Outgoing} takes).
 * <p>
 * The JVM still builds its own request as before; the first stream compares it with the launcher's and then reads
 * the answer from the inherited connection. They cannot differ by construction (the launcher takes only command lines
 * whose request it knows, {@code LauncherEarlyRunTest} holds both to the same bytes and output); should they, the
 * task the launcher started is the one there is, so its answer is shown after a loud warning naming the difference.
 */
public final class LauncherRequest {
    static final String SENT = "codetether.run.sent";
    static final String MESSAGE_ID = "codetether.run.message-id";
    /**
     * The write end of the pipe the launcher's watcher reads ({@code /dev/fd/9}): the watcher stays for the run's
     * length and cancels the task when this JVM ends before it said {@code done} (killed mid-stream, Ctrl+C).
     */
    static final String WATCHER = "codetether.run.watcher";
    /** What the watcher's bash takes as a task id (anything else it does not cancel). */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    /** What the launcher writes in the place of the key in {@link #SENT}. */
    static final String REDACTED_AUTHORIZATION = "(set)";

    private static String sent = System.getProperty(SENT);
    private static String messageId = System.getProperty(MESSAGE_ID);
    private static final String WATCHER_PATH = System.getProperty(WATCHER);
    private static FileOutputStream watcher;
    private static boolean watcherGone;

    private LauncherRequest() {}

    /** The launcher's message id for the first message this JVM builds, once; null when it sent nothing. */
    static synchronized String takeMessageId() {
        String id = sent == null ? null : messageId;
        messageId = null;
        return id;
    }

    /** The launcher's request, once: null when it sent none (or the first stream already took it). */
    static synchronized String take() {
        String s = sent;
        sent = null;
        return s;
    }

    /**
     * {@code onEvent}, telling the launcher's watcher the task's id ({@code task ID}) with the first event that names
     * it, so that the watcher can cancel it should this JVM die before {@link #released()}.
     */
    static Predicate<JsonNode> watched(Predicate<JsonNode> onEvent) {
        boolean[] told = {false};
        return event -> {
            if (!told[0]) {
                String id = taskIdOf(event);
                if (id != null) {
                    told[0] = true;
                    tellWatcher("task " + id + "\n");
                }
            }
            return onEvent.test(event);
        };
    }

    /** The task id a StreamResponse result names, or null. */
    static String taskIdOf(JsonNode event) {
        String id = event.path("task").path("id").asText("");
        if (id.isEmpty()) {
            id = event.path("statusUpdate").path("taskId").asText("");
        }
        if (id.isEmpty()) {
            id = event.path("artifactUpdate").path("taskId").asText("");
        }
        return TASK_ID.matcher(id).matches() ? id : null;
    }

    /** This JVM is done with the launcher's stream (its end, or a failure it reports): the watcher cancels nothing. */
    static void released() {
        tellWatcher("done\n");
    }

    private static synchronized void tellWatcher(String line) {
        if (WATCHER_PATH == null || watcherGone) {
            return;
        }
        try {
            if (watcher == null) {
                watcher = new FileOutputStream(WATCHER_PATH);
            }
            watcher.write(line.getBytes(StandardCharsets.US_ASCII));
            watcher.flush();
        } catch (IOException | RuntimeException e) {
            // the watcher is gone (killed with the terminal): nobody to tell; the run itself goes on
            watcherGone = true;
        }
    }

    /**
     * After the command: when the launcher sent a request that no stream took (a command line that should not have
     * been the launcher's), the task it started runs unseen on the gateway; said on {@code err}.
     */
    public static void reportUnclaimed(PrintStream err) {
        if (take() != null) {
            err.println("codetether: the launcher sent this run's request before the JVM started, but the CLI did not"
                    + " read its answer: its task may be running on the gateway (codetether tasks; a launcher defect,"
                    + " CODETETHER_NO_EARLY_RUN=1 turns its early request off)");
            err.flush();
        }
    }

    /** The answer to the launcher's request, after checking that {@code request} (this JVM's own) is what it sent. */
    static PlainHttp.Response answer(String launcherSent, URI endpoint, List<String[]> headers, byte[] body)
            throws IOException {
        String mine = new String(PlainHttp.request(endpoint, redacted(headers), body), StandardCharsets.UTF_8);
        if (!mine.equals(launcherSent)) {
            System.err.println("codetether: warning: the launcher's early request differs from the CLI's own (a"
                    + " launcher defect; CODETETHER_NO_EARLY_RUN=1 turns it off); showing the task it started. "
                    + difference(launcherSent, mine));
            System.err.flush();
        }
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof SocketChannel channel) || !channel.isConnected()) {
            throw new IOException("the launcher said it sent run's request, but standard input is not its connection"
                    + " to the gateway (" + inherited + "); CODETETHER_NO_EARLY_RUN=1 turns the early request off");
        }
        // ended by shutting it down, never closed: closing an inherited channel points the JVM's standard input,
        // output and error at /dev/null (sun.nio.ch.InheritedChannel), which lost the answer and the footer printed
        // after the stream; the descriptor goes with the process
        return PlainHttp.response(channel, () -> {
            channel.shutdownInput();
            channel.shutdownOutput();
        });
    }

    private static List<String[]> redacted(List<String[]> headers) {
        List<String[]> out = new ArrayList<>(headers.size());
        for (String[] h : headers) {
            out.add("Authorization".equals(h[0]) ? new String[] {h[0], REDACTED_AUTHORIZATION} : h);
        }
        return out;
    }

    /** Where two requests part, with some text of each around it (no key: both are redacted). */
    static String difference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "From character " + i + ": launcher [" + escape(a.substring(from, Math.min(a.length(), i + 60)))
                + "], CLI [" + escape(b.substring(from, Math.min(b.length(), i + 60))) + "]";
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
