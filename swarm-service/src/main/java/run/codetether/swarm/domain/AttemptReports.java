package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;

/** What a worker reported for one attempt of a subtask so far; not thread-safe (used under the coordinator's lock). */
final class AttemptReports {
    final List<String> messages = new ArrayList<>();
    final List<String> artifacts = new ArrayList<>();

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
