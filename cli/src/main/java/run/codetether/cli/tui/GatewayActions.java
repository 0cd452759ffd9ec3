package run.codetether.cli.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.command.RunWorkspace;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.render.Tables;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.workspace.ChangesApplier;
import run.codetether.cli.workspace.CheckoutArchive;
import run.codetether.platform.json.Json;

/**
 * The TUI's I/O against the gateway: every call runs on a virtual thread and hands its answer to the UI thread
 * through {@code post}. The TUI never blocks on the network.
 */
final class GatewayActions implements TuiActions {
    private final A2aClient client;
    private final Consumer<Runnable> post;
    private final TuiUpdates updates;
    private final SessionIndex index;
    private final String directory;
    private final String gateway;
    private final java.util.concurrent.CompletableFuture<WorkspaceMode> mode;

    /** @param mode how the directory's tasks work, once found (a new conversation waits for it) */
    GatewayActions(A2aClient client, Consumer<Runnable> post, TuiUpdates updates, SessionIndex index,
            String directory, String gateway, java.util.concurrent.CompletableFuture<WorkspaceMode> mode) {
        this.mode = mode;
        this.client = client;
        this.post = post;
        this.updates = updates;
        this.index = index;
        this.directory = directory;
        this.gateway = gateway;
    }

    @Override
    public void send(Outgoing message, Turn turn, Path workspace, String skill) {
        Thread.ofVirtual().name("a2a-stream").start(() -> {
            Throwable error = null;
            if (workspace != null) {
                try {
                    WorkspaceMode found = mode.get(90, java.util.concurrent.TimeUnit.SECONDS);
                    boolean files = !"swarm".equals(skill) && !"rlm".equals(skill);
                    if (found instanceof WorkspaceMode.Worker w && files) {
                        message.messageMeta(run.codetether.contracts.a2a.MetadataKeys.WORKSPACE, java.util.Map.of(
                                run.codetether.contracts.workspace.CodebaseRef.KEY, w.served().codebaseId()));
                        post.accept(() -> updates.onWorkerWorkspace(turn, w));
                    } else if (found instanceof WorkspaceMode.Upload) {
                        RunWorkspace.Choice choice = RunWorkspace.forNewConversation(false, skill, System.getenv(),
                                workspace);
                        if (choice.dir() != null) {
                            Path root = choice.dir();
                            CheckoutArchive.Archive archive = RunWorkspace.attach(message, root);
                            String note = RunWorkspace.note(archive, false);
                            post.accept(() -> updates.onWorkspace(turn, root, note));
                        }
                    }
                } catch (Exception e) {
                    // no task is started without the workspace the user expects it to work on
                    post.accept(() -> updates.onWorkspaceFailed(turn, e));
                    return;
                }
            }
            try {
                client.stream("SendStreamingMessage", message.params(), event -> {
                    post.accept(() -> updates.onEvent(turn, event, System.nanoTime()));
                    return !endsStream(event);
                });
            } catch (Exception e) {
                error = e;
            }
            Throwable failure = error;
            post.accept(() -> updates.onStreamEnd(turn, failure));
        });
    }

    /** A stream ends with a final state or when the task waits for input. */
    static boolean endsStream(JsonNode event) {
        JsonNode status = event.has("statusUpdate") ? event.get("statusUpdate").path("status")
                : event.has("task") ? event.get("task").path("status") : event.path("status");
        String state = Turn.shortState(status.path("state").asText(""));
        return Turn.isFinal(state) || state.equals("input-required") || state.equals("auth-required");
    }

    @Override
    public void loadChanges(String taskId, Path root) {
        Thread.ofVirtual().name("changes").start(() -> {
            Changes answer;
            try {
                JsonNode task = client.call("GetTask", Json.mapper().createObjectNode().put("id", taskId));
                java.util.Optional<ChangesApplier.Change> change = ChangesApplier.find(task.has("task") ? task.path("task") : task);
                answer = new Changes(taskId, change.isEmpty() ? null : new ChangeOffer(taskId, root, change.get(),
                        ChangesApplier.files(root, change.get()), ChangeOffer.State.OFFERED, "", false), null);
            } catch (Exception e) {
                answer = new Changes(taskId, null, TuiText.describe(e));
            }
            Changes a = answer;
            post.accept(() -> updates.onChanges(a));
        });
    }

    @Override
    public void applyChange(ChangeOffer offer, byte[] previous) {
        Thread.ofVirtual().name("apply").start(() -> {
            Applied answer;
            try {
                ChangesApplier.Applied done = ChangesApplier.applyOver(offer.root(), offer.taskId(), offer.change(), previous);
                answer = new Applied(offer.taskId(), done.summary(), null);
            } catch (Exception e) {
                answer = new Applied(offer.taskId(), null, TuiText.describe(e));
            }
            Applied a = answer;
            post.accept(() -> updates.onApplied(a));
        });
    }

    @Override
    public void cancel(String taskId) {
        Thread.ofVirtual().start(() -> {
            try {
                client.call("CancelTask", Json.mapper().createObjectNode().put("id", taskId));
            } catch (Exception e) {
                post.accept(() -> updates.onFailure("cancel failed: " + TuiText.describe(e)));
            }
        });
    }

    @Override
    public void loadModels() {
        Thread.ofVirtual().start(() -> {
            List<TuiState.ModelChoice> models = new ArrayList<>();
            String problem = null;
            try {
                JsonNode body = client.getJson("v1/models");
                for (JsonNode m : body.path("models")) {
                    JsonNode price = m.path("price");
                    models.add(new TuiState.ModelChoice(m.path("provider").asText(), m.path("id").asText(),
                            m.path("context_window").asLong(), price.isObject() ? Tables.price(price) : null));
                }
            } catch (A2aClient.NotServedException n) {
                problem = "this gateway does not serve /v1/models yet, so there is no catalog: type provider/model "
                        + "(e.g. local/qwen2.5-coder) and press Enter";
            } catch (Exception e) {
                problem = "could not load the catalog: " + TuiText.describe(e) + "; type provider/model and press Enter";
            }
            CliConfig c = CliConfig.loadOrDefaults(CliConfig.defaultPath()).config();
            if (c.model() != null && models.stream().noneMatch(m -> m.model().equals(c.model()))) {
                models.add(0, new TuiState.ModelChoice(c.provider(), c.model(), 0, null));
            }
            Models answer = new Models(models, problem);
            post.accept(() -> updates.onModels(answer));
        });
    }

    @Override
    public void loadSessions() {
        Thread.ofVirtual().start(() -> {
            Sessions answer;
            try {
                answer = new Sessions(index.list(directory), null);
            } catch (Exception e) {
                answer = new Sessions(List.of(), "could not read " + SessionIndex.defaultPath() + ": " + e.getMessage());
            }
            Sessions a = answer;
            post.accept(() -> updates.onSessions(a));
        });
    }

    @Override
    public void loadTranscript(String contextId) {
        Thread.ofVirtual().start(() -> {
            Loaded answer;
            try {
                String id = index.find(contextId).map(SessionIndex.Entry::contextId).orElse(contextId);
                answer = new Loaded(Transcript.load(client, id), null);
            } catch (Exception e) {
                answer = new Loaded(null, TuiText.describe(e));
            }
            Loaded a = answer;
            post.accept(() -> updates.onTranscript(a));
        });
    }

    @Override
    public void remember(String contextId, String firstText, String model, String taskId) {
        Thread.ofVirtual().start(() -> {
            try {
                index.touch(contextId, firstText, directory, gateway, model, taskId, Instant.now());
            } catch (Exception e) {
                post.accept(() -> updates.onFailure("could not record the session: " + e.getMessage()));
            }
        });
    }
}
