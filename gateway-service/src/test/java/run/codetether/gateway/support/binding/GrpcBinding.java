package run.codetether.gateway.support.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.CancelTaskRequest;
import com.google.lf.a2a.v1.DeleteTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetExtendedAgentCardRequest;
import com.google.lf.a2a.v1.GetTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.ListTaskPushNotificationConfigsRequest;
import com.google.lf.a2a.v1.ListTasksRequest;
import com.google.lf.a2a.v1.SendMessageRequest;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.SubscribeToTaskRequest;
import com.google.lf.a2a.v1.TaskPushNotificationConfig;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Iterator;
import java.util.function.Function;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;

/**
 * The gRPC binding with generated grpc-java stubs over a real HTTP/2 channel: the 1.0 params parse strictly into
 * the request protos (ProtoJSON), the responses print back as 1.0 JSON. Checks each error's status code against
 * the {@link ErrorTable} and its {@code google.rpc.ErrorInfo} in the status details.
 */
public final class GrpcBinding implements Binding {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private final ManagedChannel channel;
    private final String key;

    public GrpcBinding(int port, String key) {
        this.channel = A2AGrpc.channel(port);
        this.key = key;
    }

    private GrpcBinding(ManagedChannel channel, String key) {
        this.channel = channel;
        this.key = key;
    }

    @Override
    public String name() {
        return "gRPC";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean supports(Feature feature) {
        return feature != Feature.HTTP1;
    }

    @Override
    public Binding as(String apiKey) {
        return new GrpcBinding(channel, apiKey);
    }

    private A2AServiceGrpc.A2AServiceBlockingStub stub() {
        return A2AGrpc.blocking(channel, "authorization", key == null ? null : "Bearer " + key);
    }

    private static <T extends Message.Builder> T parse(ObjectNode params, T builder) {
        try {
            JsonFormat.parser().merge(params.toString(), builder);
            return builder;
        } catch (Exception e) {
            throw new AssertionError("not a valid A2A 1.0 request: " + params + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Result call(Operation op, ObjectNode p) {
        return unary(s -> switch (op) {
            case SEND -> s.sendMessage(parse(p, SendMessageRequest.newBuilder()).build());
            case GET -> s.getTask(parse(p, GetTaskRequest.newBuilder()).build());
            case LIST -> s.listTasks(parse(p, ListTasksRequest.newBuilder()).build());
            case CANCEL -> s.cancelTask(parse(p, CancelTaskRequest.newBuilder()).build());
            case PUSH_CREATE -> s.createTaskPushNotificationConfig(
                    parse(p, TaskPushNotificationConfig.newBuilder()).build());
            case PUSH_GET -> s.getTaskPushNotificationConfig(
                    parse(p, GetTaskPushNotificationConfigRequest.newBuilder()).build());
            case PUSH_LIST -> s.listTaskPushNotificationConfigs(
                    parse(p, ListTaskPushNotificationConfigsRequest.newBuilder()).build());
            case PUSH_DELETE -> s.deleteTaskPushNotificationConfig(
                    parse(p, DeleteTaskPushNotificationConfigRequest.newBuilder()).build());
            case EXTENDED_CARD -> s.getExtendedAgentCard(
                    parse(p, GetExtendedAgentCardRequest.newBuilder()).build());
            case STREAM, SUBSCRIBE -> throw new AssertionError(op + " is a stream");
        });
    }

    @Override
    public Result getOversized(int bodyBytes) {
        var pad = UnknownFieldSet.newBuilder().addField(999, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("x".repeat(bodyBytes))).build()).build();
        GetTaskRequest request = parse(Params.id("no-such-task"), GetTaskRequest.newBuilder())
                .setUnknownFields(pad).build();
        return unary(s -> s.getTask(request));
    }

    /** One unary call: its answer printed as 1.0 JSON, or its status checked against the error table. */
    private Result unary(Function<A2AServiceGrpc.A2AServiceBlockingStub, Message> call) {
        try {
            return new Result(name(), json(call.apply(stub())), null);
        } catch (StatusRuntimeException e) {
            return new Result(name(), null, failure(e));
        }
    }

    private static JsonNode json(Message m) {
        try {
            return A2AHttp.JSON.readTree(PRINTER.print(m));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Failure failureOf(StatusRuntimeException e) {
        return new GrpcBinding(null, null).failure(e);
    }

    private Failure failure(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null || status.getDetailsCount() == 0) {
            // the gRPC runtime refuses a message over the inbound limit itself, before the gateway sees it
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), () -> "no ErrorInfo: " + e);
            return new Failure("PAYLOAD_TOO_LARGE", String.valueOf(e.getStatus().getDescription()));
        }
        ErrorInfo info;
        try {
            info = status.getDetails(0).unpack(ErrorInfo.class);
        } catch (Exception ex) {
            throw new AssertionError("the first status detail is an ErrorInfo: " + status, ex);
        }
        String reason = info.getReason();
        assertEquals(ErrorTable.of(reason).grpcStatus(), e.getStatus().getCode().name(),
                () -> name() + ": status of " + reason);
        assertEquals("a2a-protocol.org", info.getDomain());
        return new Failure(reason, e.getStatus().getDescription());
    }

    @Override
    public LiveStream stream(Operation op, ObjectNode p) {
        Context.CancellableContext ctx = Context.current().withCancellation();
        Iterator<StreamResponse> it;
        try {
            it = ctx.call(() -> op == Operation.STREAM
                    ? stub().sendStreamingMessage(parse(p, SendMessageRequest.newBuilder()).build())
                    : stub().subscribeToTask(parse(p, SubscribeToTaskRequest.newBuilder()).build()));
            it.hasNext(); // the first item, or the refusal
        } catch (StatusRuntimeException e) {
            ctx.cancel(null);
            return new Items(null, failure(e), ctx);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return new Items(it, null, ctx);
    }

    private static final class Items implements LiveStream {
        private final Iterator<StreamResponse> it;
        private final Failure failure;
        private final Context.CancellableContext ctx;
        private Failure ended;

        Items(Iterator<StreamResponse> it, Failure failure, Context.CancellableContext ctx) {
            this.it = it;
            this.failure = failure;
            this.ctx = ctx;
        }

        @Override
        public Failure failure() {
            return failure;
        }

        @Override
        public Failure endedWith() {
            return ended;
        }

        @Override
        public JsonNode next() {
            try {
                return it != null && it.hasNext() ? json(it.next()) : null;
            } catch (StatusRuntimeException e) {
                ended = failureOf(e); // an early end: the call's status
                return null;
            }
        }

        @Override
        public void close() {
            ctx.cancel(null);
        }
    }
}
