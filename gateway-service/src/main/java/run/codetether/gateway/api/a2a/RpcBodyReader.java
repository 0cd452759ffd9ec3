package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import run.codetether.gateway.domain.A2AException;

/**
 * Reads a JSON-RPC request body under two limits: a message send may be as large as {@link HttpEdge#sendBodyLimit}
 * (room for a workspace archive), every other method only {@link HttpEdge#requestLimit}. JSON-RPC names the method
 * inside the body, so once a body passes the small limit its top-level {@code method} (and {@code id}) are picked
 * out of the bytes as they arrive, with Jackson's non-blocking parser, which stops once the method is known (a body
 * under the small limit, any method's, is parsed once, by the request parser). A body past the small limit whose method is
 * not a send is refused at once (HTTP 413, -32600): the rest of it is dropped as it arrives, never held or parsed.
 *
 * <p>JSON does not order an object's members: a body whose {@code method} comes after more than the small limit of
 * other members is read on until the method shows (then refused, if it is not a send), and one the sniffer cannot
 * follow (not JSON, over the parser's own limits) is read up to the send limit and left to the request parser, which
 * refuses a non-send over the small limit after all (JsonRpcRoutes).
 */
final class RpcBodyReader {
    private static final JsonFactory ASYNC = new JsonFactory();

    private RpcBodyReader() {}

    /**
     * Reads the body of {@code ctx}'s request, then hands it to {@code then}; or refuses it with {@code refuse}
     * (the request id when it was read before, else null) and drops the rest.
     */
    static void read(RoutingContext ctx, int sendLimit, int requestLimit, Predicate<String> isSend,
            BiConsumer<JsonNode, A2AException> refuse, Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            then.accept(new byte[0]);
            return;
        }
        Buffer body = Buffer.buffer();
        // the sniffer starts only once the body passes the small limit (a normal request never does): under it
        // every method is allowed, so the head is not needed and the body is parsed once, by the request parser
        Head[] head = {null};
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            body.appendBuffer(chunk);
            if (body.length() <= requestLimit) {
                return;
            }
            if (head[0] == null) {
                head[0] = new Head();
                head[0].feed(body.getBytes()); // what came before, then each chunk as it comes
            } else {
                head[0].feed(chunk.getBytes());
            }
            A2AException tooLarge = null;
            if (body.length() > sendLimit) {
                tooLarge = HttpEdge.tooLarge(sendLimit, true);
            } else if (head[0].method != null && !isSend.test(head[0].method)) {
                tooLarge = HttpEdge.tooLarge(requestLimit, false);
            }
            if (tooLarge != null) {
                // answered now; what the client still sends is dropped as it comes, neither kept nor parsed (as
                // Vert.x's body handler does: a client that writes its whole body before it reads still gets the 413)
                refused[0] = true;
                refuse.accept(head[0].id, tooLarge);
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                then.accept(body.getBytes());
            }
        });
        request.resume();
    }

    /** The top-level {@code method} and {@code id} of a JSON object, read from its bytes as they arrive. */
    static final class Head {
        private JsonParser parser;
        private int depth;
        private String field;
        /** Null until read. */
        String method;
        /** Null until read (or when it is not a string or a number). */
        JsonNode id;
        private boolean stopped;

        Head() {
            try {
                parser = ASYNC.createNonBlockingByteArrayParser();
            } catch (IOException e) {
                stopped = true; // never happens for a byte-array parser; the request parser still checks the body
            }
        }

        void feed(byte[] bytes) {
            if (stopped) {
                return;
            }
            try {
                ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
                JsonToken t;
                while (!stopped && (t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                    token(t);
                }
            } catch (IOException | RuntimeException e) {
                // not JSON, or past the parser's limits: the request parser gives the client its error
                stopped = true;
            }
            if (stopped && parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // nothing held but memory
                }
                parser = null;
            }
        }

        private void token(JsonToken t) throws IOException {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (depth == 0 && t == JsonToken.START_ARRAY) {
                        stopped = true; // a batch: refused as such by the request parser
                    }
                    depth++;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (depth == 0) {
                        stopped = true;
                    }
                }
                case FIELD_NAME -> field = depth == 1 ? parser.currentName() : field;
                default -> {
                    if (depth != 1) {
                        return;
                    }
                    if ("method".equals(field) && t == JsonToken.VALUE_STRING) {
                        method = parser.getText();
                        stopped = true;
                    } else if ("id".equals(field) && t == JsonToken.VALUE_STRING) {
                        id = JsonNodeFactory.instance.textNode(parser.getText());
                    } else if ("id".equals(field) && t == JsonToken.VALUE_NUMBER_INT) {
                        id = JsonNodeFactory.instance.numberNode(parser.getLongValue());
                    }
                }
            }
        }
    }
}
