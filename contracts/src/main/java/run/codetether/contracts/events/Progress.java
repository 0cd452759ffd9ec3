package run.codetether.contracts.events;

import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * What a status update says about the work in progress, typed: the platform itself reads these (the gateway keeps
 * partial text out of the history; the swarm nests a sub-agent's progress). A2A clients see them as status-update
 * metadata under {@link MetadataKeys}. Every field is optional.
 *
 * @param step model calls of the task so far
 * @param provider the provider the task runs on
 * @param model the model the task runs on
 * @param tool the tool this update is about
 * @param callId that tool call's id
 * @param partial the status message is text streamed so far (a running tool's output): a later update replaces
 *     it, the history keeps only the finished text. The model's answer does not stream this way: it streams as
 *     chunks of the answer artifact ({@link TaskEvent.ArtifactAdded#textChunk}), each with only the new text
 * @param output the partial text is a running tool's output (its last characters), not the model's answer
 * @param usage tokens and cost: of one model call on a model-turn update (which is, when a further step follows the
 *     turn, that step's first tool update: a call's start, naming the turn's provider and model too), of the whole
 *     task on a final status. Clients sum the usage of the non-final updates and take the final status's as the total
 */
public record Progress(
        Integer step,
        String provider,
        String model,
        String tool,
        String callId,
        boolean partial,
        boolean output,
        Usage usage) {

    public static final Progress NONE = new Progress(null, null, null, null, null, false, false, null);

    public static Progress step(int step) {
        return NONE.withStep(step);
    }

    public Progress withStep(Integer s) {
        return new Progress(s, provider, model, tool, callId, partial, output, usage);
    }

    public Progress withModel(String p, String m) {
        return new Progress(step, p, m, tool, callId, partial, output, usage);
    }

    public Progress withTool(String t, String id) {
        return new Progress(step, provider, model, t, id, partial, output, usage);
    }

    /** Streamed text so far; {@code toolOutput} when it is a running tool's output rather than the model's. */
    public Progress asPartial(boolean toolOutput) {
        return new Progress(step, provider, model, tool, callId, true, toolOutput, usage);
    }

    public Progress withUsage(Usage u) {
        return new Progress(step, provider, model, tool, callId, partial, output, u);
    }

    /** How an A2A client sees it: only the fields that are set, under their {@link MetadataKeys}. */
    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfSet(m, MetadataKeys.STEP, step);
        putIfSet(m, MetadataKeys.PROVIDER, provider);
        putIfSet(m, MetadataKeys.MODEL, model);
        putIfSet(m, MetadataKeys.TOOL, tool);
        putIfSet(m, MetadataKeys.CALL_ID, callId);
        if (partial) {
            m.put(MetadataKeys.PARTIAL, true);
        }
        if (output) {
            m.put(MetadataKeys.OUTPUT, true);
        }
        if (usage != null) {
            m.put(MetadataKeys.USAGE, usage.toMetadata());
        }
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
