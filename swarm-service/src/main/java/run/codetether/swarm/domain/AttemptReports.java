package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskEvent;

/** What a worker reported for one attempt of a subtask so far; not thread-safe (used under the coordinator's lock). */
final class AttemptReports {
    final List<String> messages = new ArrayList<>();
    final List<String> artifacts = new ArrayList<>();

    /**
     * Keeps what may become the attempt's result: the agent's messages and the text of finished artifacts (a
     * streamed chunk is not a result: the finished answer follows whole). Statuses are the coordinator's.
     */
    void collect(TaskEvent event) {
        switch (event) {
            case TaskEvent.MessageAdded m when m.message().role() == Role.AGENT -> messages.add(m.message().text());
            case TaskEvent.ArtifactAdded a when !a.streamed() -> a.artifact().parts().forEach(p -> {
                if (p instanceof Part.Text t) {
                    artifacts.add(t.text());
                }
            });
            default -> { }
        }
    }

    /** Artifacts are the deliverable; else the agent's last message; else the final status message. */
    String result(Message statusMessage) {
        if (!artifacts.isEmpty()) {
            return String.join("\n", artifacts);
        }
        if (!messages.isEmpty()) {
            return messages.get(messages.size() - 1);
        }
        return statusMessage == null ? "" : statusMessage.text();
    }
}
