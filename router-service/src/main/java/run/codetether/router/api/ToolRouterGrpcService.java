package run.codetether.router.api;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import run.codetether.contracts.router.v1.ModelInfoRequest;
import run.codetether.contracts.router.v1.ModelInfoResponse;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.ToolRouter;
import run.codetether.router.config.RouterConfig;
import run.codetether.router.domain.InvalidRouteRequestException;
import run.codetether.router.domain.RouteCommand;
import run.codetether.router.infra.RouterRuntime;

/**
 * gRPC {@code codetether.router.v1.ToolRouter}. Routing failures are {@code routed=false} answers; only malformed
 * requests are errors ({@code INVALID_ARGUMENT} with the reason).
 */
@GrpcService
public class ToolRouterGrpcService implements ToolRouter {

    private final RouterRuntime runtime;
    private final RouterConfig config;

    public ToolRouterGrpcService(RouterRuntime runtime, RouterConfig config) {
        this.runtime = runtime;
        this.config = config;
    }

    @Override
    public Uni<RouteResponse> route(RouteRequest request) {
        RouteCommand command;
        try {
            command = RouteMapper.toCommand(request, config);
        } catch (InvalidRouteRequestException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
        return Uni.createFrom().completionStage(() -> runtime.service().route(command)).map(RouteMapper::toResponse);
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
