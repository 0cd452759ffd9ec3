package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every rendering of the platform must hold, whatever the values: the invariants, object by object. */
class PlatformInvariantsTest {
    /** component -> container port */
    static final Map<String, Integer> SERVICES =
            Map.of("gateway", 8080, "agent", 8081, "router", 8082, "swarm", 8083, "tools", 8084);

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)(_.*|$)");
    /** Shapes of real credentials: OpenAI/Anthropic keys, AWS access keys, Google API keys, PEM private keys, JWTs. */
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\\.)");

    /** Names that match SECRET_NAME but hold locations, not secrets. */
    private static final Set<String> NOT_SECRETS =
            Set.of("QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_JWT_TOKEN_PATH");

    static Stream<Manifests> sources() {
        return Sources.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void fiveServicesWithProbesPortsResourcesAndServices(Manifests m) {
        assertEquals(5, m.ofKind("Deployment").size(), m + ": Deployments");
        SERVICES.forEach((component, port) -> {
            ObjectNode d = m.deployment(component);
            JsonNode pod = d.at("/spec/template/spec");
            for (JsonNode c : containers(pod)) {
                JsonNode res = c.path("resources");
                assertFalse(res.at("/requests/cpu").isMissingNode(), m + " " + component + ": cpu request");
                assertFalse(res.at("/requests/memory").isMissingNode(), m + " " + component + ": memory request");
                assertFalse(res.at("/limits/memory").isMissingNode(), m + " " + component + ": memory limit");
            }
            JsonNode main = pod.path("containers").path(0);
            assertEquals(port, main.at("/ports/0/containerPort").asInt(), m + " " + component + ": port");
            // gRPC services are probed over HTTP too: gRPC shares the HTTP port
            assertEquals("/q/health/live", main.at("/livenessProbe/httpGet/path").asText(), m + " " + component);
            assertEquals("/q/health/ready", main.at("/readinessProbe/httpGet/path").asText(), m + " " + component);
            assertFalse(main.path("startupProbe").isMissingNode(), m + " " + component + ": startupProbe");

            String name = d.at("/metadata/name").asText();
            ObjectNode svc = m.get("Service", name);
            assertEquals(selector(d), svc.at("/spec/selector"), m + " " + component + ": Service selects the pods");
            assertEquals("http", svc.at("/spec/ports/0/targetPort").asText());
            ObjectNode cm = m.get("ConfigMap", name);
            assertEquals(name, main.at("/envFrom/0/configMapRef/name").asText(), m + ": envFrom the ConfigMap");
            assertFalse(cm.path("data").isEmpty());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void hardenedSecurityContextEverywhere(Manifests m) {
        for (ObjectNode d : workloads(m)) {
            String id = m + " " + Manifests.id(d);
            JsonNode pod = d.at("/spec/template/spec");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), id + ": runAsNonRoot");
            assertTrue(pod.at("/securityContext/runAsUser").asInt() > 0, id + ": non-root uid");
            assertFalse(pod.path("hostNetwork").asBoolean() || pod.path("hostPID").asBoolean()
                    || pod.path("hostIPC").asBoolean(), id + ": host namespaces");
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), id + ": API token mounted");
            for (JsonNode c : containers(pod)) {
                JsonNode sc = c.path("securityContext");
                assertFalse(sc.path("privileged").asBoolean(), id + ": privileged");
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), id + ": allowPrivilegeEscalation");
                assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), id + ": readOnlyRootFilesystem");
                assertTrue(texts(sc.at("/capabilities/drop")).contains("ALL"), id + ": drop ALL");
                assertTrue(sc.at("/capabilities/add").isMissingNode(), id + ": added capabilities");
                if (sc.has("procMount")) {
                    assertTrue(id.contains("codetether-tools") && !pod.path("hostUsers").asBoolean(true),
                            id + ": procMount only for the tools sandbox, inside a pod user namespace");
                }
                String seccomp = sc.at("/seccompProfile/type").asText(pod.at("/securityContext/seccompProfile/type").asText());
                assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp), id + ": seccomp " + seccomp);
            }
            for (JsonNode v : pod.path("volumes")) {
                assertTrue(v.path("hostPath").isMissingNode(), id + ": hostPath volume " + v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void serviceAccountPerServiceAndNoRbacGrants(Manifests m) {
        Set<String> accounts = new HashSet<>();
        for (ObjectNode d : m.ofKind("Deployment")) {
            String sa = d.at("/spec/template/spec/serviceAccountName").asText();
            assertTrue(accounts.add(sa), m + ": ServiceAccount shared: " + sa);
            ObjectNode account = m.get("ServiceAccount", sa);
            assertFalse(account.path("automountServiceAccountToken").asBoolean(true), m + ": " + sa + " automounts");
        }
        for (String kind : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
            assertTrue(m.ofKind(kind).isEmpty(), m + ": no service calls the API, yet a " + kind + " is rendered");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void noSecretInPlainText(Manifests m) {
        assertTrue(m.ofKind("Secret").isEmpty(), m + ": the platform renders no Secret (keys live in Vault)");
        for (ObjectNode o : m.objects()) {
            String text = o.toString();
            assertFalse(SECRET_VALUE.matcher(text).find(), m + " " + Manifests.id(o) + ": credential-shaped value");
            assertFalse(text.contains("VAULT_TOKEN"), m + " " + Manifests.id(o) + ": VAULT_TOKEN is for local runs only");
        }
        for (ObjectNode cm : m.ofKind("ConfigMap")) {
            cm.path("data").fieldNames().forEachRemaining(k -> assertFalse(SECRET_NAME.matcher(k).matches()
                    && !NOT_SECRETS.contains(k),
                    m + " " + Manifests.id(cm) + ": secret-looking key " + k));
        }
        for (ObjectNode d : workloads(m)) {
            for (JsonNode c : containers(d.at("/spec/template/spec"))) {
                for (JsonNode e : c.path("env")) {
                    String name = e.path("name").asText();
                    if (!SECRET_NAME.matcher(name).matches() && !name.contains("JAAS") && !name.endsWith("_USERNAME")) {
                        continue;
                    }
                    boolean fromSecret = !e.at("/valueFrom/secretKeyRef").isMissingNode();
                    // the JAAS line may only reference the Secret-fed variables, never carry a password itself
                    boolean onlyReferences = e.path("value").asText()
                            .matches(".*username=\"\\$\\([A-Z_]+\\)\" password=\"\\$\\([A-Z_]+\\)\".*");
                    assertTrue(fromSecret || onlyReferences,
                            m + " " + Manifests.id(d) + ": env " + name + " holds a literal secret");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void gpuSettingsOnlyOnTheRouter(Manifests m) {
        for (ObjectNode d : m.ofKind("Deployment")) {
            String component = d.at("/metadata/labels/app.kubernetes.io~1component").asText();
            JsonNode pod = d.at("/spec/template/spec");
            boolean gpuLimit = containers(pod).stream().anyMatch(c -> c.at("/resources/limits").has("nvidia.com/gpu"));
            boolean gpuPlacement = pod.path("runtimeClassName").isTextual()
                    || pod.path("nodeSelector").toString().contains("nvidia.com")
                    || pod.path("tolerations").toString().contains("nvidia.com")
                    || pod.path("affinity").toString().contains("nvidia.com");
            if (!component.equals("router")) {
                assertFalse(gpuLimit || gpuPlacement, m + ": GPU settings on " + component);
            }
        }
        ObjectNode router = m.deployment("router");
        JsonNode main = router.at("/spec/template/spec/containers/0");
        String device = m.get("ConfigMap", router.at("/metadata/name").asText()).at("/data/CODETETHER_TOOL_ROUTER_DEVICE").asText();
        boolean gpu = main.at("/resources/limits").has("nvidia.com/gpu");
        assertEquals(Sources.gpu(m), gpu, m + ": router GPU mode");
        assertEquals(gpu ? "cuda" : "cpu", device, m + ": router DEVICE matches its resources");
        assertEquals(gpu, main.path("image").asText().contains("-cuda"), m + ": CUDA image exactly in GPU mode");
        if (gpu) {
            assertEquals("1", main.at("/resources/limits/nvidia.com~1gpu").asText(), m + ": GPU count");
            assertTrue(router.at("/spec/template/spec/tolerations").toString().contains("nvidia.com/gpu"), m + ": GPU toleration");
            assertEquals("Recreate", router.at("/spec/strategy/type").asText(), m + ": a GPU is not shared by old and new pod");
        }
    }

    /** Private, link-local, CGNAT and loopback ranges every public-CIDR rule of the tools pod must leave out. */
    static final List<String> INTERNAL = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
            "100.64.0.0/10", "127.0.0.0/8");

    /**
     * Without git hosts, sandbox egress and Vault the tools pod has no egress at all. With them: DNS (port 53 to the
     * DNS pods), public CIDRs minus every internal range on exactly the ports the configuration needs, and Vault's
     * namespace on its port; never a rule without a destination or without ports.
     */
    static void toolsEgressIsOnlyWhatTheProxyGitAndVaultNeed(Manifests m, ObjectNode tools, ObjectNode np) {
        JsonNode cfg = m.get("ConfigMap", Manifests.name(tools)).path("data");
        boolean git = !cfg.path("CODETETHER_TOOLS_GIT_ALLOWED_HOSTS").asText().isEmpty();
        boolean egress = !cfg.path("CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS").asText().isEmpty()
                || !cfg.path("CODETETHER_TOOLS_EGRESS_PRESETS").asText().isEmpty();
        boolean vault = texts(tools.at("/spec/template/spec/volumes"), "name").contains("vault-token");
        JsonNode rules = np.at("/spec/egress");
        assertTrue(rules.isArray(), m + ": tools egress is an explicit list");
        if (!git && !egress && !vault) {
            assertTrue(rules.isEmpty(), m + ": tools egress must be denied");
            return;
        }
        boolean dns = false;
        boolean publicRule = false;
        boolean vaultRule = false;
        for (JsonNode r : rules) {
            assertFalse(r.path("to").isEmpty(), m + ": every tools egress rule names its destination: " + r);
            assertFalse(r.path("ports").isEmpty(), m + ": every tools egress rule names its ports: " + r);
            Set<Integer> ports = new HashSet<>();
            r.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
            JsonNode to = r.path("to").path(0);
            if (to.has("ipBlock")) {
                publicRule = true;
                for (JsonNode peer : r.path("to")) {
                    List<String> except = texts(peer.at("/ipBlock/except"));
                    assertTrue(except.containsAll(INTERNAL), m + ": public egress must exclude internal ranges: " + peer);
                }
                assertTrue(ports.contains(443), m + ": https for the proxy and git");
                assertFalse(ports.contains(53), m + ": no DNS to arbitrary addresses");
            } else if (ports.equals(Set.of(53))) {
                dns = true;
                assertFalse(to.path("podSelector").isEmpty(), m + ": DNS only to the DNS pods");
            } else {
                vaultRule = true;
                assertFalse(to.path("namespaceSelector").isEmpty(), m + ": Vault by namespace");
                assertEquals(1, ports.size(), m + ": Vault on its port only");
            }
        }
        assertEquals(git || egress, dns && publicRule, m + ": DNS and public ports exactly when git or egress is on");
        assertEquals(vault, vaultRule, m + ": Vault rule exactly when tools read Vault");
        if (m.source().contains("all-features")) {
            assertEquals("package-registries,git-hosts", cfg.path("CODETETHER_TOOLS_EGRESS_PRESETS").asText());
            assertEquals("github.com,*.gitlab.example.com", cfg.path("CODETETHER_TOOLS_GIT_ALLOWED_HOSTS").asText());
            assertTrue(rules.toString().contains("8443") && rules.toString().contains("\"port\":22"), m + ": " + rules);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void toolsAreSandboxedCutOffAndHaveAWorkspace(Manifests m) {
        ObjectNode tools = m.deployment("tools");
        String name = tools.at("/metadata/name").asText();
        ObjectNode np = m.get("NetworkPolicy", name);
        assertEquals(selector(tools), np.at("/spec/podSelector/matchLabels"), m + ": NetworkPolicy selects tools pods");
        assertTrue(texts(np.at("/spec/policyTypes")).containsAll(List.of("Ingress", "Egress")), m + ": policy types");
        toolsEgressIsOnlyWhatTheProxyGitAndVaultNeed(m, tools, np);
        assertEquals("agent", np.at("/spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1component").asText(),
                m + ": only agent-service calls tools");
        assertEquals(1, np.at("/spec/ingress/0/ports").size(), m + ": the agent reaches tools' gRPC port only");
        assertEquals(9084, np.at("/spec/ingress/0/ports/0/port").asInt(), m + ": the agent reaches tools' gRPC port");
        for (ObjectNode other : m.ofKind("NetworkPolicy")) {
            assertTrue(Manifests.name(other).equals(name), m + ": unexpected NetworkPolicy " + Manifests.name(other));
        }

        JsonNode main = tools.at("/spec/template/spec/containers/0");
        assertEquals("Localhost", main.at("/securityContext/seccompProfile/type").asText(), m + ": bwrap seccomp profile");
        if (m.source().contains("all-features")) {
            assertEquals("Unmasked", main.at("/securityContext/procMount").asText(), m + ": bwrap --proc needs it");
            assertFalse(tools.at("/spec/template/spec/hostUsers").asBoolean(true), m + ": pod user namespace");
        }
        String workspace = m.get("ConfigMap", name).at("/data/CODETETHER_TOOLS_WORKSPACE_ROOT").asText();
        assertTrue(texts(main.path("volumeMounts"), "mountPath").contains(workspace), m + ": workspace mounted");
        JsonNode volume = volume(tools, "workspace");
        String claim = volume.at("/persistentVolumeClaim/claimName").asText();
        assertFalse(claim.isEmpty(), m + ": workspace is a PVC");
        assertTrue(m.find("PersistentVolumeClaim", claim).isPresent(), m + ": claim " + claim + " rendered");
    }

    /**
     * Issue 19: the gateway's task store (about 0.75 GB per million tasks) lives on its own sized volume mounted at
     * {@code CODETETHER_GATEWAY_STORE_DIR}, not under the 512 Mi {@code /tmp}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void theGatewayTaskStoreIsOnItsOwnSizedVolume(Manifests m) {
        ObjectNode gateway = m.deployment("gateway");
        String name = gateway.at("/metadata/name").asText();
        String dir = m.get("ConfigMap", name).at("/data/CODETETHER_GATEWAY_STORE_DIR").asText();
        assertTrue(dir.startsWith("/") && !dir.startsWith("/tmp"), m + ": store dir " + dir);
        JsonNode mounts = gateway.at("/spec/template/spec/containers/0/volumeMounts");
        JsonNode mount = null;
        for (JsonNode mt : mounts) {
            mount = dir.equals(mt.path("mountPath").asText()) ? mt : mount;
        }
        assertTrue(mount != null, m + ": nothing mounted at " + dir + ": " + mounts);
        JsonNode volume = volume(gateway, mount.path("name").asText());
        String size = volume.at("/emptyDir/sizeLimit").asText(
                volume.at("/ephemeral/volumeClaimTemplate/spec/resources/requests/storage").asText());
        assertTrue(size.endsWith("Gi") && Integer.parseInt(size.replace("Gi", "")) >= 1,
                m + ": a volume of at least 1Gi for about a million tasks: " + volume);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void disruptionBudgetsAndScalersTargetTheirDeployments(Manifests m) {
        for (ObjectNode d : m.ofKind("Deployment")) {
            String name = Manifests.name(d);
            ObjectNode pdb = m.get("PodDisruptionBudget", name);
            assertEquals(selector(d), pdb.at("/spec/selector/matchLabels"), m + ": PDB selects " + name);
        }
        List<String> scaled = new ArrayList<>();
        for (ObjectNode s : m.objects()) {
            if (Set.of("HorizontalPodAutoscaler", "ScaledObject").contains(Manifests.kind(s))) {
                String target = s.at("/spec/scaleTargetRef/name").asText();
                ObjectNode d = m.get("Deployment", target);
                assertTrue(d.at("/spec/replicas").isMissingNode(), m + ": " + target + " is autoscaled yet pins replicas");
                scaled.add(d.at("/metadata/labels/app.kubernetes.io~1component").asText());
            }
            if (Manifests.kind(s).equals("ScaledObject")) {
                String component = m.get("Deployment", s.at("/spec/scaleTargetRef/name").asText())
                        .at("/metadata/labels/app.kubernetes.io~1component").asText();
                JsonNode trigger = s.at("/spec/triggers/0/metadata");
                assertEquals(component.equals("agent") ? "agent-workers" : "swarm-workers", trigger.path("consumerGroup").asText());
                assertEquals(component.equals("agent") ? "tasks.requested" : "swarm.requested", trigger.path("topic").asText());
                String bootstrap = m.get("ConfigMap", s.at("/spec/scaleTargetRef/name").asText())
                        .at("/data/CODETETHER_KAFKA_BOOTSTRAP").asText();
                assertEquals(bootstrap, trigger.path("bootstrapServers").asText(), m + ": KEDA reads the same Kafka");
            }
        }
        assertFalse(scaled.contains("router") || scaled.contains("tools"), m + ": router/tools are not autoscaled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void servicesFindEachOther(Manifests m) {
        JsonNode agent = m.get("ConfigMap", Manifests.name(m.deployment("agent"))).path("data");
        String tools = Manifests.name(m.deployment("tools"));
        String router = Manifests.name(m.deployment("router"));
        assertTrue(agent.path("CODETETHER_AGENT_TOOLS_HOST").asText().startsWith(tools + "."), m + ": tools host");
        // gRPC has a server of its own in tools, router and the gateway (docs/operations.md "GOAWAY"): the port a
        // client dials is the one the service is told to listen on, its container declares and its Service exposes
        assertEquals("9084", agent.path("CODETETHER_AGENT_TOOLS_PORT").asText());
        for (var own : Map.of("tools", 9084, "router", 9082, "gateway", 9080).entrySet()) {
            String name = Manifests.name(m.deployment(own.getKey()));
            String what = m + ": " + own.getKey() + " ";
            assertEquals(String.valueOf(own.getValue()),
                    m.get("ConfigMap", name).at("/data/QUARKUS_GRPC_SERVER_PORT").asText(), what + "gRPC");
            JsonNode grpc = m.deployment(own.getKey()).at("/spec/template/spec/containers/0/ports/1");
            assertEquals("grpc", grpc.path("name").asText(), what + "container's gRPC port");
            assertEquals(own.getValue(), grpc.path("containerPort").asInt(), what);
            JsonNode svcHttp = m.get("Service", name).at("/spec/ports/0");
            assertTrue(svcHttp.path("appProtocol").isMissingNode(), what + "HTTP port carries no gRPC");
            JsonNode svcGrpc = m.get("Service", name).at("/spec/ports/1");
            assertEquals(own.getValue(), svcGrpc.path("port").asInt(), what + "Service's gRPC port");
            assertEquals("grpc", svcGrpc.path("targetPort").asText(), what);
            assertEquals("kubernetes.io/h2c", svcGrpc.path("appProtocol").asText(), what);
        }
        assertTrue(agent.path("CODETETHER_AGENT_ROUTER_HOST").asText().startsWith(router + "."), m + ": router host");
        assertEquals("9082", agent.path("CODETETHER_AGENT_ROUTER_PORT").asText(), m + ": the router's gRPC port");
        // one switch, one value: the agent asks the router exactly when the router runs its model
        String routerEnabled = m.get("ConfigMap", router).at("/data/CODETETHER_TOOL_ROUTER_ENABLED").asText();
        assertFalse(routerEnabled.isEmpty(), m + ": router switch set");
        assertEquals(routerEnabled, agent.path("CODETETHER_TOOL_ROUTER_ENABLED").asText(), m + ": agent router switch");
        for (String component : List.of("gateway", "agent", "swarm")) {
            JsonNode data = m.get("ConfigMap", Manifests.name(m.deployment(component))).path("data");
            assertFalse(data.path("CODETETHER_KAFKA_BOOTSTRAP").asText().isEmpty(), m + ": " + component + " Kafka");
            assertEquals("/var/run/secrets/vault/token", data.path("QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_JWT_TOKEN_PATH").asText());
            assertFalse(data.path("QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE").asText().isEmpty());
            JsonNode token = volume(m.deployment(component), "vault-token");
            assertFalse(token.at("/projected/sources/0/serviceAccountToken/audience").asText().isEmpty(),
                    m + ": " + component + " gets an audience-bound token for Vault");
        }
    }

    /** Everything that runs pods: the five Deployments and the topic-creation Job when rendered. */
    static List<ObjectNode> workloads(Manifests m) {
        List<ObjectNode> out = new ArrayList<>(m.ofKind("Deployment"));
        out.addAll(m.ofKind("Job"));
        return out;
    }

    static List<JsonNode> containers(JsonNode pod) {
        List<JsonNode> out = new ArrayList<>();
        pod.path("initContainers").forEach(out::add);
        pod.path("containers").forEach(out::add);
        return out;
    }

    static JsonNode selector(JsonNode deployment) {
        return deployment.at("/spec/selector/matchLabels");
    }

    static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError(Manifests.id(deployment) + ": no volume " + name);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
