package run.codetether.gateway.api.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.worker.WorkerDirectory;

/**
 * While the worker registry is read, the worker lists are a retryable UNAVAILABLE (another replica's workers would
 * be missing from them); once read, they are answered.
 */
class WorkerRpcMethodsStartTest {

    @Test
    void retryableWhileTheRegistryIsReadThenAnswered() {
        WorkerDirectory directory = new WorkerDirectory("r1");
        directory.reading("the worker registry is being read");
        WorkerRpcMethods methods = new WorkerRpcMethods(
                new RequestGuard(true, new ApiKeys(List.of()), new RateLimiter(1000, 1000, System::nanoTime)),
                directory);
        CallContext anonymous = CallContext.of(null, null, "127.0.0.1");

        for (String method : List.of(WorkerRpcMethods.WORKERS, WorkerRpcMethods.CODEBASES)) {
            A2AException early = assertThrows(A2AException.class, () -> methods.call(method, anonymous));
            assertEquals(A2AError.UNAVAILABLE, early.error(), method);
            assertEquals(1, early.retryAfterSeconds(), method);
            assertTrue(early.getMessage().startsWith("the worker registry is being read"), early.getMessage());
        }

        directory.read();
        JsonNode workers = methods.call(WorkerRpcMethods.WORKERS, anonymous);
        assertEquals(0, workers.get("workers").size(), workers.toString());
        JsonNode codebases = methods.call(WorkerRpcMethods.CODEBASES, anonymous);
        assertEquals(0, codebases.get("codebases").size(), codebases.toString());
    }
}
