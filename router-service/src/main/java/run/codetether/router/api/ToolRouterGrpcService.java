package run.codetether.router.api;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.TimeUnit;
import run.codetether.contracts.router.v1.ModelInfoRequest;
import run.codetether.contracts.router.v1.ModelInfoResponse;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.ToolRouter;
import run.codetether.router.config.RouterConfig;
import run.codetether.router.domain.InvalidRouteRequestException;
import run.codetether.router.domain.RouteCommand;
import run.codetether.router.domain.RouteResult;
import run.codetether.router.infra.RouterRuntime;

/**
 * gRPC {@code codetether.router.v1.ToolRouter}. Routing failures are {@code routed=false} answers; only malformed
 * requests are errors ({@code INVALID_ARGUMENT} with the reason).
 */
@GrpcService
public class ToolRouterGrpcService implements ToolRouter {

    private final RouterRuntime runtime;
    private final RouterConfig config;
    private final MeterRegistry registry;

    public ToolRouterGrpcService(RouterRuntime runtime, RouterConfig config, MeterRegistry registry) {
        this.runtime = runtime;
        this.config = config;
        this.registry = registry;
    }

    /** Blocking: schema parsing, the fast path and tokenizing a long text stay off the event loop. */
    @Override
    @Blocking
    public Uni<RouteResponse> route(RouteRequest request) {
        RouteCommand command;
        try {
            command = RouteMapper.toCommand(request, config);
        } catch (InvalidRouteRequestException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
        return Uni.createFrom().completionStage(() -> runtime.service().route(command))
                .invoke(this::record)
                .map(RouteMapper::toResponse);
    }

    private void record(RouteResult result) {
        registry.counter("codetether.router.routes", "source", result.source(),
                "routed", String.valueOf(result.routed())).increment();
        registry.timer("codetether.router.route.duration", "source", result.source())
                .record((long) (result.timings().totalMs() * 1_000_000), TimeUnit.NANOSECONDS);
    }

    @Override
    public Uni<ModelInfoResponse> modelInfo(ModelInfoRequest request) {
        RouterRuntime.Info info = runtime.info();
        return Uni.createFrom().item(ModelInfoResponse.newBuilder()
                .setModelPath(config.modelPath().orElse(""))
                .setArch(config.arch())
                .setDevice(info.device())
                .setExecutionProvider(info.executionProvider())
                .setLoaded(info.loaded())
                .setWarm(info.warm())
                .setLoadError(info.loadError())
                .setVocabSize(info.vocabSize())
                .setMaxTokens(config.maxTokens())
                .setTemperature(config.temperature())
                .setMaxBatchSize(config.batch().maxSize())
                .build());
    }
}
