{{/*
ConfigMap data per service: only non-secret settings. Kafka credentials are Secret references in the Deployment,
provider keys are read from Vault at run time. (dict "root" $ "key" "gateway")
*/}}
{{- define "codetether.configData" -}}
{{- $root := .root }}
{{- $v := index $root.Values .key }}
{{- $svc := include "codetether.svc" . | fromYaml }}
JAVA_OPTS: {{ $v.javaOpts | quote }}
{{- with $svc.grpcPort }}
# gRPC on a server of its own, never on the HTTP port (docs/operations.md "GOAWAY")
QUARKUS_GRPC_SERVER_PORT: {{ . | quote }}
{{- end }}
{{- if $svc.kafka }}
CODETETHER_KAFKA_BOOTSTRAP: {{ include "codetether.kafkaBootstrap" $root | quote }}
KAFKA_SECURITY_PROTOCOL: {{ $root.Values.kafka.securityProtocol | quote }}
{{- if include "codetether.kafkaSasl" $root }}
KAFKA_SASL_MECHANISM: {{ $root.Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- if $root.Values.kafka.tls.caSecret }}
KAFKA_SSL_TRUSTSTORE_TYPE: "PEM"
KAFKA_SSL_TRUSTSTORE_LOCATION: {{ printf "/etc/codetether/kafka-ca/%s" $root.Values.kafka.tls.caKey | quote }}
{{- end }}
{{- end }}
{{- if include "codetether.usesVault" . }}
VAULT_ADDR: {{ $root.Values.vault.address | quote }}
QUARKUS_VAULT_URL: {{ $root.Values.vault.address | quote }}
VAULT_MOUNT: {{ $root.Values.vault.mount | quote }}
VAULT_SECRETS_PATH: {{ $root.Values.vault.secretsPath | quote }}
QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE: {{ $root.Values.vault.kubernetesAuth.role | quote }}
QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_JWT_TOKEN_PATH: "/var/run/secrets/vault/token"
{{- if $root.Values.vault.caSecret }}
QUARKUS_VAULT_TLS_CA_CERT: {{ printf "/etc/codetether/vault-ca/%s" $root.Values.vault.caKey | quote }}
{{- end }}
{{- end }}
{{- if eq .key "gateway" }}
{{- $url := $v.publicUrl }}
{{- if and (not $url) $v.ingress.enabled }}
{{- $url = printf "%s://%s" (ternary "https" "http" (ne $v.ingress.tlsSecret "")) $v.ingress.host }}
{{- end }}
{{- if not $url }}
{{- $url = printf "http://%s.%s.svc:%v" (include "codetether.componentName" .) (include "codetether.namespace" $root) $v.service.port }}
{{- end }}
CODETETHER_GATEWAY_PUBLIC_URL: {{ $url | quote }}
{{- $grpcUrl := $v.grpcPublicUrl }}
{{- $g := $v.ingress.grpc }}
{{- if and (not $grpcUrl) $v.ingress.enabled $g.enabled }}
{{- $grpcUrl = printf "%s://%s" (ternary "https" "http" (ne (default $v.ingress.tlsSecret $g.tlsSecret) "")) (default $v.ingress.host $g.host) }}
{{- end }}
{{- with $grpcUrl }}
# the agent card's gRPC URL (default: the gRPC Ingress's host, else the public URL's scheme and host with the gRPC port)
CODETETHER_GATEWAY_GRPC_PUBLIC_URL: {{ . | quote }}
{{- end }}
# workspace archives are staged at tools-service before a task is requested (docs/workspaces.md)
CODETETHER_GATEWAY_TOOLS_HOST: {{ printf "%s.%s.svc" (include "codetether.componentName" (dict "root" $root "key" "tools")) (include "codetether.namespace" $root) | quote }}
CODETETHER_GATEWAY_TOOLS_PORT: {{ (include "codetether.svc" (dict "root" $root "key" "tools") | fromYaml).grpcPort | quote }}
# the task store lives on its own volume (gateway.store), not under the small /tmp
CODETETHER_GATEWAY_STORE_DIR: {{ $v.store.dir | quote }}
# false while gateways of an older release still run or may be rolled back to (docs/operations.md "Upgrades")
CODETETHER_GATEWAY_ACCEPT_ONE_RECORD: {{ $v.acceptOneRecord | quote }}
{{- $d := $v.dashboard }}
{{- $table := include "codetether.services" $root | fromYaml }}
{{- range $k := list "agent" "router" "swarm" "tools" }}
{{- if and $d.watchServices (or (ne $k "tools") $d.watchTools) }}
CODETETHER_GATEWAY_DASHBOARD_SERVICES_{{ upper $k }}_URL: {{ printf "http://%s.%s.svc:%v" (include "codetether.componentName" (dict "root" $root "key" $k)) (include "codetether.namespace" $root) (index $table $k).port | quote }}
{{- end }}
{{- end }}
{{- with $d.oidcClientId }}
CODETETHER_GATEWAY_DASHBOARD_OIDC_CLIENT_ID: {{ . | quote }}
{{- end }}
{{- end }}
{{- if or (eq .key "gateway") (eq .key "swarm") }}
{{- $c := $root.Values.cognition }}
CODETETHER_COGNITION_ENABLED: {{ $c.enabled | quote }}
CODETETHER_COGNITION_AUTO_START: {{ $c.autoStart | quote }}
CODETETHER_COGNITION_LOOP_INTERVAL_MS: {{ $c.loopIntervalMs | quote }}
CODETETHER_COGNITION_MAX_SPAWN_DEPTH: {{ $c.maxSpawnDepth | quote }}
CODETETHER_COGNITION_MAX_BRANCHING_FACTOR: {{ $c.maxBranchingFactor | quote }}
CODETETHER_COGNITION_MAX_EVENTS: {{ $c.maxEvents | quote }}
CODETETHER_COGNITION_MAX_SNAPSHOTS: {{ $c.maxSnapshots | quote }}
CODETETHER_COGNITION_MAX_PROPOSALS: {{ $c.maxProposals | default 32 | quote }}
CODETETHER_COGNITION_THINKER_ENABLED: {{ $c.thinker.enabled | quote }}
CODETETHER_COGNITION_THINKER_BACKEND: {{ $c.thinker.backend | quote }}
{{- with $c.thinker.baseUrl }}
CODETETHER_COGNITION_THINKER_BASE_URL: {{ . | quote }}
{{- end }}
{{- with $c.thinker.model }}
CODETETHER_COGNITION_THINKER_MODEL: {{ . | quote }}
{{- end }}
CODETETHER_COGNITION_THINKER_TEMPERATURE: {{ $c.thinker.temperature | quote }}
CODETETHER_COGNITION_THINKER_MAX_TOKENS: {{ $c.thinker.maxTokens | quote }}
CODETETHER_COGNITION_THINKER_TIMEOUT_MS: {{ $c.thinker.timeoutMs | quote }}
{{- end }}
{{- if eq .key "gateway" }}
# the API keys' tenants, re-read while the gateway runs (tenant-bindings-configmap.yaml, values `tenantBindings`)
CODETETHER_GATEWAY_AUTH_TENANTS_FILE: "/etc/codetether/tenants/tenants.properties"
{{- end }}
{{- if or (eq .key "agent") (eq .key "swarm") }}
# the tenants' budgets, one file for both services (budgets-configmap.yaml, values `budgets`)
{{- if and (eq .key "agent") (include "codetether.mcpEnabled" $root) }}
# and the agents' MCP servers (agent-mcp-configmap.yaml, values `mcp`)
QUARKUS_CONFIG_LOCATIONS: "/etc/codetether/budgets/budgets.properties,/etc/codetether/mcp/mcp.properties"
{{- else }}
QUARKUS_CONFIG_LOCATIONS: "/etc/codetether/budgets/budgets.properties"
{{- end }}
{{- end }}
{{- if eq .key "agent" }}
CODETETHER_AGENT_TOOLS_HOST: {{ printf "%s.%s.svc" (include "codetether.componentName" (dict "root" $root "key" "tools")) (include "codetether.namespace" $root) | quote }}
CODETETHER_AGENT_TOOLS_PORT: {{ (include "codetether.svc" (dict "root" $root "key" "tools") | fromYaml).grpcPort | quote }}
CODETETHER_AGENT_ROUTER_HOST: {{ printf "%s.%s.svc" (include "codetether.componentName" (dict "root" $root "key" "router")) (include "codetether.namespace" $root) | quote }}
CODETETHER_AGENT_ROUTER_PORT: {{ (include "codetether.svc" (dict "root" $root "key" "router") | fromYaml).grpcPort | quote }}
CODETETHER_TOOL_ROUTER_ENABLED: {{ $root.Values.router.toolRouter.enabled | quote }}
{{- end }}
{{- if eq .key "router" }}
{{- $r := $root.Values.router }}
CODETETHER_TOOL_ROUTER_ENABLED: {{ $r.toolRouter.enabled | quote }}
CODETETHER_TOOL_ROUTER_MODEL_PATH: {{ printf "%s/%s" $r.model.mountPath $r.model.modelFile | quote }}
CODETETHER_TOOL_ROUTER_TOKENIZER_PATH: {{ printf "%s/%s" $r.model.mountPath $r.model.tokenizerFile | quote }}
CODETETHER_TOOL_ROUTER_ARCH: {{ $r.toolRouter.arch | quote }}
CODETETHER_TOOL_ROUTER_DEVICE: {{ ternary "cuda" "cpu" (eq $r.mode "gpu") | quote }}
CODETETHER_TOOL_ROUTER_MAX_TOKENS: {{ $r.toolRouter.maxTokens | quote }}
CODETETHER_TOOL_ROUTER_TEMPERATURE: {{ $r.toolRouter.temperature | quote }}
{{- end }}
{{- if eq .key "tools" }}
CODETETHER_TOOLS_WORKSPACE_ROOT: {{ $v.workspace.mountPath | quote }}
CODETETHER_TOOLS_GIT_ALLOWED_HOSTS: {{ join "," $v.git.allowedHosts | quote }}
CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS: {{ join "," $v.egress.allowedHosts | quote }}
CODETETHER_TOOLS_EGRESS_PRESETS: {{ ternary "package-registries,git-hosts" "" $v.egress.publicRegistries | quote }}
CODETETHER_TOOLS_EGRESS_DEFAULT_ON: {{ $v.egress.defaultOn | quote }}
{{- end }}
{{- include "codetether.extraConfig" . }}
{{- end }}

{{/* The ConfigMap object. */}}
{{- define "codetether.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" .root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
data:
  {{- include "codetether.configData" . | trim | nindent 2 }}
{{- end }}
