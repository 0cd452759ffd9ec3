package run.codetether.contracts.worker;

import run.codetether.contracts.events.Required;

/**
 * A worker's answer to a {@link WorkerCallRequest}, relayed by the gateway replica that holds its stream
 * ({@link run.codetether.contracts.events.Topics#WORKERS_RESULTS}, key: {@link #replyTo}).
 *
 * @param kind output (a chunk of a streaming tool's output in {@code output}) | result (the call's result) | preview
 *     | refused (the worker or the replica could not take the call; {@code error} says why)
 * @param exitCode the exit code of a process-backed tool, or null
 * @param interrupted a result whose call did not complete and was not run again: the worker was killed, stopped or
 *     lost its connection while the command ran (the worker's {@code ExecuteResponse.interrupted}), or, made by the
 *     agent itself, the worker went away with the call sent and did not answer in time. Not a result of the tool: it
 *     may have done part of its work. Absent (false) in records of older releases.
 */
public record WorkerCallReply(String callKey, String replyTo, String kind, boolean ok, String output, String error,
        Integer exitCode, boolean truncated, String metadataJson, boolean replayed, long durationMs,
        boolean hasPreview, String diff, boolean interrupted) {
    public static final String OUTPUT = "output";
    public static final String RESULT = "result";
    public static final String PREVIEW = "preview";
    public static final String REFUSED = "refused";

    public WorkerCallReply {
        Required.text(callKey, "callKey");
        Required.text(replyTo, "replyTo");
        Required.text(kind, "kind");
        output = output == null ? "" : output;
        error = error == null ? "" : error;
        metadataJson = metadataJson == null ? "" : metadataJson;
        diff = diff == null ? "" : diff;
    }

    public static WorkerCallReply output(String callKey, String replyTo, String text) {
        return new WorkerCallReply(callKey, replyTo, OUTPUT, true, text, "", null, false, "", false, 0, false, "",
                false);
    }

    public static WorkerCallReply refused(String callKey, String replyTo, String why) {
        return new WorkerCallReply(callKey, replyTo, REFUSED, false, "", why, null, false, "", false, 0, false, "",
                false);
    }

    /** A call sent to a worker that went away (or did not answer in time): whether it ran is unknown. */
    public static WorkerCallReply interrupted(String callKey, String replyTo, String why) {
        return new WorkerCallReply(callKey, replyTo, RESULT, false, "", why, null, false, "", false, 0, false, "",
                true);
    }
}
