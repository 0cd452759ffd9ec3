package run.codetether.contracts.a2a;

/**
 * Every key CodeTether itself reads or writes in A2A metadata (message, request, task and status-update metadata)
 * and in its own DataPart payloads. One naming style: snake_case. Services use these constants, never string
 * literals. Inside the platform the same facts travel as typed fields of the contracts records
 * ({@code TaskCommand.StartTask}, {@code TaskEvent.Progress}, {@code TaskEvent.Submission}); these keys are only
 * how they look to an A2A client.
 */
public final class MetadataKeys {
    private MetadataKeys() {}

    // ---- client -> platform: message.metadata, wins over request metadata --------------------------------------

    /** Provider name (e.g. {@code anthropic}, {@code local}); absent = the worker's default. */
    public static final String PROVIDER = "provider";
    /** Model id; absent = the provider's default. */
    public static final String MODEL = "model";
    /** Which skill runs the message: {@code swarm}, {@code ralph}, {@code rlm}, ...; absent = the agent loop. */
    public static final String SKILL = "skill";
    /** Swarm decomposition strategy: auto, domain, data, stage, none. */
    public static final String STRATEGY = "strategy";
    /** Most swarm subtasks running at once (1..256). */
    public static final String MAX_CONCURRENCY = "max_concurrency";
    /** The camelCase spelling that existed on the wire before; still accepted on input. */
    public static final String MAX_CONCURRENCY_ALIAS = "maxConcurrency";
    /** Ralph skill: where prd.json is. */
    public static final String PRD_PATH = "prd_path";
    /** Ralph skill: most iterations of the run. Also a Ralph progress detail. */
    public static final String MAX_ITERATIONS = "max_iterations";
    /**
     * Where the task works: {@code {"git": {...}} | {"archive": {"file_ref": n}} | {"codebase": "..."}}, optional
     * {@code "push"}. Extension {@code https://codetether.run/a2a/ext/workspace/v1}.
     */
    public static final String WORKSPACE = "workspace";
    // workspace/v1 (WorkspaceExtension): the members of message.metadata.workspace
    /** A git remote: {@code {"url", "ref"?, "depth"?, "submodules"?}}. */
    public static final String GIT = "git";
    public static final String URL = "url";
    public static final String REF = "ref";
    // clone depth: DEPTH ("depth"; absent = shallow, the service default 1; 0 = full history)
    public static final String SUBMODULES = "submodules";
    /** An archive sent as a file part of the same message: {@code {"file_ref": n}}. */
    public static final String ARCHIVE = "archive";
    /** Index of the file part (0-based, among all parts of the message). */
    public static final String FILE_REF = "file_ref";
    /** The camelCase spelling, accepted on input. */
    public static final String FILE_REF_ALIAS = "fileRef";
    /** Worker mode: a codebase a connected worker serves. */
    public static final String CODEBASE = "codebase";
    /** Push the change when the task completes: {@code {"branch": "codetether/<name>"}}. */
    public static final String PUSH = "push";
    public static final String BRANCH = "branch";
    /** True: the sandbox reaches the network through tools-service's egress proxy (its allowlist decides). */
    public static final String EGRESS = "egress";

    /** {@code full | approve | ask}: whether a mutating call waits for the client's approval. */
    public static final String ACCESS_MODE = "access_mode";
    /** Per-task MCP servers (only when the tenant allows it). */
    public static final String MCP_SERVERS = "mcp_servers";

    // ---- DataPart payload keys -------------------------------------------------------------------------------------

    /** Agent -> client, in an input-required status message: {@code {call_id, tool, arguments, preview, reason}}. */
    public static final String APPROVAL_REQUEST = "approval_request";
    /** Client -> agent: {@code {call_id, decision: approve | deny | approve_all}}. */
    public static final String APPROVAL = "approval";

    // the data part of the `changes` artifact (WorkspaceExtension.CHANGES_ARTIFACT)
    public static final String FILES_CHANGED = "files_changed";
    public static final String INSERTIONS = "insertions";
    public static final String DELETIONS = "deletions";
    public static final String BASE_REF = "base_ref";
    public static final String BASE_COMMIT = "base_commit";
    /** {@code {"branch", "commit"}} when the change was pushed; absent otherwise. */
    public static final String PUSHED = "pushed";
    public static final String COMMIT = "commit";
    /** Why the diff is not in the artifact (larger than the agent sends); the stats are still there. */
    public static final String DIFF_OMITTED = "diff_omitted";
    /** The paths in the changed-files artifact's data part. */
    public static final String FILES = "files";

    // ---- platform -> client: status-update and task metadata --------------------------------------------------------

    /** Model calls so far. */
    public static final String STEP = "step";
    /** The tool an update is about. */
    public static final String TOOL = "tool";
    /** The call id of that tool call. */
    public static final String CALL_ID = "call_id";
    /**
     * The arguments of that tool call, as the model gave them (a JSON value; a string cut to its first characters
     * when they are too long to show), on the update that says the call started.
     */
    public static final String ARGUMENTS = "arguments";
    /**
     * The result of that tool call as the model read it (its first characters when long), on the update that says
     * the call ended; a call that failed carries {@link #ERROR} instead.
     */
    public static final String RESULT = "result";
    /**
     * True on a status update: the message is text streamed so far (a running tool's output); a later update
     * replaces it, and it is not kept in the history. True in an artifact's metadata: the artifact is an answer still
     * streaming in chunks ({@code append}), closed or replaced by the finished artifact (see
     * {@link run.codetether.contracts.events.TaskEvent.ArtifactAdded#textChunk}).
     */
    public static final String PARTIAL = "partial";
    /**
     * In a streamed artifact chunk's metadata: how many characters (UTF-16 units, as Java and JavaScript count them)
     * of the artifact's text come before this chunk (0 on the first chunk). Appending is then idempotent: a reader
     * places the chunk at this offset, so a chunk seen twice (read back and live, or delivered again) does not
     * repeat text.
     */
    public static final String TEXT_OFFSET = "text_offset";
    /** True: the partial text is the output of a running tool (the last characters of it). */
    public static final String OUTPUT = "output";
    /** Tokens and cost: per model call on a model-turn update, cumulative for the task on the final status. */
    public static final String USAGE = "usage";
    public static final String TOKENS_IN = "tokens_in";
    public static final String TOKENS_OUT = "tokens_out";
    public static final String CACHE_READ_TOKENS = "cache_read_tokens";
    public static final String CACHE_WRITE_TOKENS = "cache_write_tokens";
    /** USD, or null when the model has no price in the catalog ("unpriced"), never an invented 0. */
    public static final String COST_USD = "cost_usd";
    public static final String PRICED = "priced";
    /** Messages summarised by a compaction of the conversation. */
    public static final String COMPACTED = "compacted";
    /** The arguments of the {@code question} tool on an input-required status. */
    public static final String QUESTION = "question";
    /** Why a task was canceled. */
    public static final String REASON = "reason";

    // swarm progress (swarm-service, and the agent's swarm tool)
    public static final String SWARM_ID = "swarm_id";
    public static final String SUBTASK_ID = "subtask_id";
    public static final String SUBTASK_TASK_ID = "subtask_task_id";
    public static final String SUBTASK_STATE = "subtask_state";
    public static final String SUBTASK_STATUS = "subtask_status";
    /** A sub-agent's own status metadata, nested. */
    public static final String SUBTASK_METADATA = "subtask_metadata";
    public static final String STAGE = "stage";
    public static final String ATTEMPT = "attempt";
    /** A subtask's title: on its dispatch progress, and in each row of the swarm-result artifact's subtasks. */
    public static final String TITLE = "title";
    /** A row's subtask id in the swarm-result artifact's subtasks (the progress says {@link #SUBTASK_ID}). */
    public static final String ID = "id";
    /** How many attempts a subtask took, in the swarm-result artifact's rows. */
    public static final String ATTEMPTS = "attempts";
    public static final String COMPLETED = "completed";
    public static final String TOTAL = "total";
    public static final String PHASE = "phase";
    public static final String SUBTASKS = "subtasks";
    public static final String STAGES = "stages";
    /** The coordinator replica that owns a swarm. */
    public static final String OWNER = "owner";
    public static final String VALID = "valid";
    public static final String CACHED = "cached";
    public static final String FAILED_SUBTASKS = "failed_subtasks";
    public static final String AGGREGATION = "aggregation";
    public static final String AGGREGATION_ERROR = "aggregation_error";

    // ralph progress
    public static final String RALPH_EVENT = "ralph_event";
    public static final String STORY_ID = "story_id";
    public static final String ITERATION = "iteration";
    public static final String CHECK_NAME = "check_name";
    public static final String PASSED = "passed";
    public static final String PASSED_COUNT = "passed_count";
    public static final String STATUS = "status";
    public static final String ITERATIONS = "iterations";
    /**
     * On {@code story_complete} / {@code story_error}: what the story's iteration spent (its agent's model calls), in
     * the {@link #USAGE} shape. Not under {@link #USAGE}: a working update's {@code usage} is one model call's, and
     * clients sum those.
     */
    public static final String STORY_USAGE = "story_usage";
    /** On Ralph's {@code complete} event: what all its iterations spent, in the {@link #USAGE} shape. */
    public static final String RALPH_USAGE = "ralph_usage";
    /**
     * On a swarm's progress update when a subtask's attempt ended: what every attempt of that subtask has spent so
     * far (its workers' final {@link #USAGE}, rejected attempts included), in the {@link #USAGE} shape.
     */
    public static final String SUBTASK_USAGE = "subtask_usage";
    /** Why a step failed: a Ralph iteration that did not complete, or a tool call's error result. */
    public static final String ERROR = "error";

    // rlm progress: {"rlm": {iteration, max_iterations, depth, subcalls} | {subcall, depth, context_chars}}
    public static final String RLM = "rlm";
    public static final String SUBCALL = "subcall";
    public static final String SUBCALLS = "subcalls";
    public static final String DEPTH = "depth";
    public static final String CONTEXT_CHARS = "context_chars";

    // gateway responses cut to their size limits: task metadata {"truncated": {history_omitted, artifacts_omitted,
    // parts_cut, max_task_bytes}} and, on each cut part, part metadata {"truncated": {original_chars, shown_chars}}
    public static final String TRUNCATED = "truncated";
    public static final String HISTORY_OMITTED = "history_omitted";
    public static final String ARTIFACTS_OMITTED = "artifacts_omitted";
    public static final String PARTS_CUT = "parts_cut";
    public static final String MAX_TASK_BYTES = "max_task_bytes";
    public static final String ORIGINAL_CHARS = "original_chars";
    public static final String SHOWN_CHARS = "shown_chars";
    /** What a part the gateway replaced was: {@code text}, {@code file} or {@code data}. */
    public static final String PART_KIND = "part_kind";
}
