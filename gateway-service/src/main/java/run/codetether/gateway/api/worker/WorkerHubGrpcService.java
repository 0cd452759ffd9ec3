package run.codetether.gateway.api.worker;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import run.codetether.contracts.worker.v1.HubMessage;
import run.codetether.contracts.worker.v1.WorkerHubGrpc;
import run.codetether.contracts.worker.v1.WorkerMessage;
import run.codetether.gateway.config.WorkersConfig;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.gateway.infra.worker.KafkaWorkerBus;

/**
 * WorkerHub: the outbound stream of {@code codetether worker} (docs/worker.md), served on the gateway's HTTP port
 * beside the A2A gRPC binding, with the same credentials (API key or bearer JWT). One {@link WorkerStream} per
 * connection.
 */
@GrpcService
@RegisterInterceptor(WorkerCredentials.class)
public class WorkerHubGrpcService extends WorkerHubGrpc.WorkerHubImplBase {

    @Inject
    RequestGuard guard;

    @Inject
    WorkerDirectory directory;

    @Inject
    KafkaWorkerBus bus;

    @Inject
    WorkersConfig config;

    /** Admission may fetch a JWKS and Kafka sends may block: never on the event loop. */
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("worker-grace").factory());

    @Override
    public StreamObserver<WorkerMessage> connect(StreamObserver<HubMessage> out) {
        if (!config.enabled()) {
            out.onError(Status.UNIMPLEMENTED.withDescription("worker streams are disabled on this gateway"
                    + " (codetether.gateway.workers.enabled=false)").asRuntimeException());
            return new StreamObserver<>() {
                public void onNext(WorkerMessage m) {}

                public void onError(Throwable t) {}

                public void onCompleted() {}
            };
        }
        return new WorkerStream(out, WorkerCredentials.PRESENTED.get(), guard, directory, bus, config, blocking,
                timers);
    }
}
