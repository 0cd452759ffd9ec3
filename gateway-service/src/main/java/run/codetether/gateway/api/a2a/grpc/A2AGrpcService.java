package run.codetether.gateway.api.a2a.grpc;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.AgentCard;
import com.google.lf.a2a.v1.CancelTaskRequest;
import com.google.lf.a2a.v1.DeleteTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetExtendedAgentCardRequest;
import com.google.lf.a2a.v1.GetTaskPushNotificationConfigRequest;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.ListTaskPushNotificationConfigsRequest;
import com.google.lf.a2a.v1.ListTaskPushNotificationConfigsResponse;
import com.google.lf.a2a.v1.ListTasksRequest;
import com.google.lf.a2a.v1.ListTasksResponse;
import com.google.lf.a2a.v1.SendMessageRequest;
import com.google.lf.a2a.v1.SendMessageResponse;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.SubscribeToTaskRequest;
import com.google.lf.a2a.v1.Task;
import com.google.lf.a2a.v1.TaskPushNotificationConfig;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.api.a2a.V10Operations;
import run.codetether.gateway.domain.handler.A2ARequestHandler;
import run.codetether.gateway.domain.handler.CallContext;

/**
 * The A2A 1.0 gRPC binding ({@code lf.a2a.v1.A2AService}, spec section 10) over the same request handler as
 * JSON-RPC and HTTP+JSON, served on the HTTP port. A thin edge: a request printed as ProtoJSON is the 1.0 params
 * of {@link V10Operations}, whose 1.0 JSON result parses back into the response proto ({@link ProtoJson}). Each
 * call leaves the event loop for a virtual thread (admission may fetch a JWKS, a blocking send waits on the task).
 */
@GrpcService
@RegisterInterceptor(GrpcMetadataInterceptor.class)
public class A2AGrpcService extends A2AServiceGrpc.A2AServiceImplBase {

    @Inject
    A2ARequestHandler handler;

    @Inject
    run.codetether.gateway.config.GatewayConfig config;

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private V10Operations operations;

    @PostConstruct
    void init() {
        operations = new V10Operations(handler);
    }

    @Override
    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageResponse> out) {
        unary(Operation.SEND, request, out, SendMessageResponse.getDefaultInstance());
    }

    @Override
    public void sendStreamingMessage(SendMessageRequest request, StreamObserver<StreamResponse> out) {
        stream(Operation.STREAM, request, out);
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<Task> out) {
        unary(Operation.GET, request, out, Task.getDefaultInstance());
    }

    @Override
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
        unary(Operation.LIST, request, out, ListTasksResponse.getDefaultInstance());
    }

    @Override
    public void cancelTask(CancelTaskRequest request, StreamObserver<Task> out) {
        unary(Operation.CANCEL, request, out, Task.getDefaultInstance());
    }

    @Override
    public void subscribeToTask(SubscribeToTaskRequest request, StreamObserver<StreamResponse> out) {
        stream(Operation.SUBSCRIBE, request, out);
    }

    @Override
    public void createTaskPushNotificationConfig(TaskPushNotificationConfig request,
            StreamObserver<TaskPushNotificationConfig> out) {
        unary(Operation.PUSH_CREATE, request, out, TaskPushNotificationConfig.getDefaultInstance());
    }

    @Override
    public void getTaskPushNotificationConfig(GetTaskPushNotificationConfigRequest request,
            StreamObserver<TaskPushNotificationConfig> out) {
        unary(Operation.PUSH_GET, request, out, TaskPushNotificationConfig.getDefaultInstance());
    }

    @Override
    public void listTaskPushNotificationConfigs(ListTaskPushNotificationConfigsRequest request,
            StreamObserver<ListTaskPushNotificationConfigsResponse> out) {
        unary(Operation.PUSH_LIST, request, out, ListTaskPushNotificationConfigsResponse.getDefaultInstance());
    }

    @Override
    public void deleteTaskPushNotificationConfig(DeleteTaskPushNotificationConfigRequest request,
            StreamObserver<Empty> out) {
        unary(Operation.PUSH_DELETE, request, out, Empty.getDefaultInstance());
    }

    @Override
    public void getExtendedAgentCard(GetExtendedAgentCardRequest request, StreamObserver<AgentCard> out) {
        unary(Operation.EXTENDED_CARD, request, out, AgentCard.getDefaultInstance());
    }

    private <T extends Message> void unary(Operation op, Message request, StreamObserver<T> out, T prototype) {
        GrpcMetadataInterceptor.Presented presented = GrpcMetadataInterceptor.PRESENTED.get();
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) out;
        // a client that gives up (deadline, cancel) ends only its call: the accepted task goes on
        call.setOnCancelHandler(() -> { });
        workers.execute(() -> {
            try {
                CallContext context = GrpcMetadataInterceptor.context(presented);
                operations.unary(op, ProtoJson.params(request), context).whenComplete((json, err) -> {
                    if (call.isCancelled()) {
                        return;
                    }
                    if (err != null) {
                        out.onError(GrpcErrors.of(err));
                        return;
                    }
                    T reply;
                    try {
                        reply = ProtoJson.result(json, prototype);
                    } catch (RuntimeException e) {
                        out.onError(GrpcErrors.of(e));
                        return;
                    }
                    out.onNext(reply);
                    out.onCompleted();
                });
            } catch (RuntimeException e) {
                out.onError(GrpcErrors.of(e));
            }
        });
    }

    private void stream(Operation op, Message request, StreamObserver<StreamResponse> out) {
        GrpcMetadataInterceptor.Presented presented = GrpcMetadataInterceptor.PRESENTED.get();
        GrpcSink sink = new GrpcSink((ServerCallStreamObserver<StreamResponse>) out,
                config.streams().maxPendingBytes());
        workers.execute(() -> {
            try {
                CallContext context = GrpcMetadataInterceptor.context(presented);
                operations.stream(op, ProtoJson.params(request), context, sink)
                        .whenComplete((v, err) -> {
                            if (err != null) {
                                sink.fail(err);
                            }
                        });
            } catch (RuntimeException e) {
                sink.fail(e);
            }
        });
    }
}
