package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;

/**
 * One A2A protocol version's wire shapes: request params in, results out. The core speaks one model; each version
 * converts at the edge ({@link V10Codec}, {@code v03.V03Codec}).
 */
public interface WireCodec {

    /** The Major.Minor version this codec speaks. */
    String version();

    SendRequest sendRequest(ObjectNode params);

    /** Result of a non-streaming send. */
    JsonNode sendResult(Task task, Integer historyLength);

    /** First item of a stream: the task. */
    JsonNode streamTask(Task task);

    /** A later stream item, or null when this version has no item for the event. */
    JsonNode streamEvent(TaskEvent event, Task after);

    JsonNode task(Task task, Integer historyLength);

    /** The task id of GetTask / CancelTask / SubscribeToTask params. */
    String taskId(ObjectNode params);

    Integer historyLength(ObjectNode params);

    /** A2A 1.0 tenant, or null. */
    String tenant(ObjectNode params);

    ListQuery listQuery(ObjectNode params);

    JsonNode taskPage(TaskPage page);

    /** Create (1.0) / set (0.3) params: the config, with the task id it is for. */
    PushConfig pushConfig(ObjectNode params);

    JsonNode pushConfig(PushConfig config);

    JsonNode pushConfigs(List<PushConfig> configs);

    /** Get / delete params: [taskId, configId] (configId null when the version allows leaving it out). */
    String[] pushConfigRef(ObjectNode params);

    /** List params: the task id. */
    String pushConfigTask(ObjectNode params);
}
