package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Keeps the conversation inside the model's context window: when the estimate passes {@code compactAt} of the
 * window, the older turns are summarised by the model and only the summary and the last {@code keepRecent}
 * messages are sent from then on. The full history stays in the session. A failed summary leaves the
 * conversation as it was.
 */
final class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class);
    private static final String PROMPT = "You compact a coding agent's conversation. Write a dense summary that keeps "
            + "every fact needed to continue: the user's goal, decisions, files read or changed (with paths), commands "
            + "run and their outcomes, open problems. No preamble.";
    private final AgentSettings settings;
    private final RunLedger ledger;

    Compactor(AgentSettings settings, RunLedger ledger) {
        this.settings = settings;
        this.ledger = ledger;
    }

    void compactIfNeeded(RunContext cx) throws InterruptedException {
        Session s = cx.session;
        int chars = s.messages.subList(s.summarizedCount, s.messages.size()).stream().mapToInt(ChatMessage::size).sum()
                + (s.summary == null ? 0 : s.summary.length());
        int estimatedTokens = chars / 4 + 2_000; // + system prompt and tool schemas
        if (estimatedTokens < cx.model.info().contextWindow() * settings.compactAt()) {
            return;
        }
        int cut = s.messages.size() - settings.keepRecent();
        while (cut > s.summarizedCount && !(s.messages.get(cut) instanceof ChatMessage.User)
                && !(s.messages.get(cut) instanceof ChatMessage.Assistant)) {
            cut--; // never separate tool results from the call that asked for them
        }
        if (cut <= s.summarizedCount) {
            return;
        }
        ModelRequest req = new ModelRequest(cx.model.modelId(), PROMPT,
                List.of(new ChatMessage.User(transcript(s, cut))), List.of());
        ModelReply summary;
        try {
            // metered like a turn: budget first, then one update with the summary's own usage and the cut
            summary = MeteredChat.chat(cx, req, Map.of(MetadataKeys.COMPACTED, cut)).reply();
        } catch (ProviderException e) {
            LOG.warnf("compaction failed for %s, continuing uncompacted: %s", s.contextId, e.getMessage());
            return;
        }
        s.summary = summary.text();
        s.summarizedCount = cut;
        ledger.save(cx);
    }

    private static String transcript(Session s, int cut) {
        StringBuilder t = new StringBuilder();
        if (s.summary != null) {
            t.append("Earlier summary:\n").append(s.summary).append("\n\n");
        }
        for (ChatMessage m : s.messages.subList(s.summarizedCount, cut)) {
            switch (m) {
                case ChatMessage.User u -> t.append("USER: ").append(u.text()).append('\n');
                case ChatMessage.Assistant a -> {
                    t.append("ASSISTANT: ").append(a.text()).append('\n');
                    a.toolCalls().forEach(c -> t.append("  called ").append(c.name()).append(' ')
                            .append(c.argumentsJson()).append('\n'));
                }
                case ChatMessage.ToolResult r -> t.append("RESULT of ").append(r.toolName()).append(": ")
                        .append(r.content(), 0, Math.min(r.content().length(), 4_000)).append('\n');
            }
        }
        return t.toString();
    }
}
