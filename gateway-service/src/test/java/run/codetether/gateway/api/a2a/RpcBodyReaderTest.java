package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The JSON-RPC head sniffer: the top-level method and id, whatever the chunks and the members' order. */
class RpcBodyReaderTest {

    private static RpcBodyReader.Head feed(String json, int chunk) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        RpcBodyReader.Head head = new RpcBodyReader.Head();
        for (int i = 0; i < b.length; i += chunk) {
            head.feed(Arrays.copyOfRange(b, i, Math.min(b.length, i + chunk)));
        }
        return head;
    }

    @Test
    void readsTheMethodAndIdInAnyChunking() {
        for (int chunk : new int[] {1, 3, 7, 1000}) {
            RpcBodyReader.Head h = feed("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"GetTask\",\"params\":{\"id\":\"t\"}}",
                    chunk);
            assertEquals("GetTask", h.method, "chunk " + chunk);
            assertEquals(42, h.id.asInt());
        }
    }

    @Test
    void aNestedMethodIsNotTheRequestsMethod() {
        RpcBodyReader.Head h = feed("{\"id\":\"a\",\"params\":{\"method\":\"SendMessage\",\"x\":[{\"method\":1}]},"
                + "\"method\":\"tasks/get\"}", 5);
        assertEquals("tasks/get", h.method);
        assertEquals("a", h.id.asText());
    }

    @Test
    void theMethodIsKnownBeforeTheRestArrives() {
        RpcBodyReader.Head h = feed("{\"method\":\"CancelTask\",\"params\":{\"pad\":\"xxxxxxxx", 4);
        assertEquals("CancelTask", h.method);
        assertNull(h.id, "the id was not read before the method");
    }

    @Test
    void notJsonOrABatchLeavesTheMethodUnknown() {
        assertNull(feed("{\"method\" GetTask}", 2).method);
        assertNull(feed("[{\"method\":\"GetTask\"}]", 2).method);
        assertNull(feed("{\"method\":7,\"params\":{}}", 2).method);
    }
}
