{{/*
Names, labels and the per-service building blocks shared by every template. A service is addressed by its values key
(gateway, agent, router, swarm, tools); "codetether.services" is the single table of their names and ports.
*/}}

{{- define "codetether.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "codetether.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "codetether.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The namespace every object is rendered into. */}}
{{- define "codetether.namespace" -}}
{{- .Release.Namespace }}
{{- end }}

{{/* Service table: values key -> application name, HTTP port and, for the services that serve gRPC, the port of
their own gRPC server (never the HTTP port: docs/operations.md "GOAWAY"). */}}
{{- define "codetether.services" -}}
gateway: {app: gateway-service, port: 8080, grpcPort: 9080, kafka: true}
agent: {app: agent-service, port: 8081, kafka: true}
router: {app: router-service, port: 8082, grpcPort: 9082, kafka: false}
swarm: {app: swarm-service, port: 8083, kafka: true}
tools: {app: tools-service, port: 8084, grpcPort: 9084, kafka: false}
{{- end }}

{{/* One service's row of the table: (dict "root" $ "key" "gateway") */}}
{{- define "codetether.svc" -}}
{{- $all := include "codetether.services" .root | fromYaml }}
{{- index $all .key | toYaml }}
{{- end }}

{{/* Resource name of a service's objects: <fullname>-<key>, e.g. codetether-gateway. */}}
{{- define "codetether.componentName" -}}
{{- printf "%s-%s" (include "codetether.fullname" .root) .key | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "codetether.selectorLabels" -}}
app.kubernetes.io/name: {{ include "codetether.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .key }}
app.kubernetes.io/component: {{ .key }}
{{- end }}
{{- end }}

{{/* Labels of every object: (dict "root" $ "key" "gateway"), key may be "" for platform-wide objects. */}}
{{- define "codetether.labels" -}}
helm.sh/chart: {{ include "codetether.chart" .root }}
{{ include "codetether.selectorLabels" . }}
app.kubernetes.io/part-of: codetether
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Image reference: (dict "root" $ "image" <service image values>) */}}
{{- define "codetether.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/* Kafka bootstrap servers: the Strimzi bootstrap Service when the chart renders Kafka, else the BYO value. */}}
{{- define "codetether.kafkaBootstrap" -}}
{{- if .Values.kafka.strimzi.enabled }}
{{- if ne .Values.kafka.securityProtocol "PLAINTEXT" }}
{{- fail "kafka.strimzi.enabled renders a plain in-cluster listener: set kafka.securityProtocol to PLAINTEXT, or bring your own Kafka for SASL/TLS" }}
{{- end }}
{{- printf "%s-kafka-bootstrap.%s.svc:9092" (include "codetether.strimziCluster" .) (include "codetether.namespace" .) }}
{{- else }}
{{- required "kafka.bootstrapServers is required unless kafka.strimzi.enabled" .Values.kafka.bootstrapServers }}
{{- end }}
{{- end }}

{{- define "codetether.kafkaSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{- end }}
{{- end }}

{{/*
Secret-looking names are refused in extraConfig: ConfigMaps are readable by anyone who can read the namespace, and
provider keys belong in Vault. (dict "root" $ "key" "gateway")
*/}}
{{- define "codetether.extraConfig" -}}
{{- $v := index .root.Values .key }}
{{- range $name, $value := $v.extraConfig }}
{{- if regexMatch "(?i)((KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)(_|$)|JAAS)" $name }}
{{- fail (printf "%s.extraConfig.%s looks like a secret: provider keys belong in Vault (%s/%s/<provider>), Kafka credentials in kafka.sasl.existingSecret" $.key $name $.root.Values.vault.mount $.root.Values.vault.secretsPath) }}
{{- end }}
{{- if not (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" $name) }}
{{- fail (printf "%s.extraConfig.%s is not a valid environment variable name" $.key $name) }}
{{- end }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* Whether a service reads Vault: (dict "root" $ "key" "gateway") -> "true" or "" */}}
{{- define "codetether.usesVault" -}}
{{- $v := index .root.Values .key }}
{{- if hasKey $v "vault" }}{{ if $v.vault }}true{{ end }}{{ end }}
{{- end }}

{{/* Whether the router runs on GPUs. */}}
{{- define "codetether.routerGpu" -}}
{{- if eq .Values.router.mode "gpu" }}true{{- end }}
{{- end }}

{{/* Autoscaler kind of a Kafka worker service: keda, hpa or none. (dict "root" $ "key" "agent") */}}
{{- define "codetether.workerScaler" -}}
{{- $mode := (index .root.Values .key).autoscaling.mode }}
{{- if eq $mode "auto" }}
{{- if .root.Capabilities.APIVersions.Has "keda.sh/v1alpha1/ScaledObject" }}keda{{ else }}hpa{{ end }}
{{- else }}
{{- $mode }}
{{- end }}
{{- end }}

{{/* Consumer group and topic each worker service consumes (fixed by the services, see contracts Topics). */}}
{{- define "codetether.workerSource" -}}
agent: {group: agent-workers, topic: tasks.requested}
swarm: {group: swarm-workers, topic: swarm.requested}
{{- end }}

{{/*
Platform topics, the same list as contracts Topics.all(workPartitions) (a test compares them): name, partitions
(work = kafka.topics.workPartitions), whether the topic is compacted, and max.message.bytes where it is not the
broker's default (0).
*/}}
{{- define "codetether.topics" -}}
- {name: tasks.requested, work: true, compacted: false, maxMessageBytes: 0}
- {name: tasks.control, work: false, compacted: false, maxMessageBytes: 0}
- {name: tasks.events, work: true, compacted: false, maxMessageBytes: 8388608}
- {name: tasks.state, work: true, compacted: true, maxMessageBytes: 8388608}
- {name: swarm.requested, work: true, compacted: false, maxMessageBytes: 0}
- {name: swarm.state, work: true, compacted: true, maxMessageBytes: 0}
- {name: agent.sessions, work: true, compacted: true, maxMessageBytes: 8388608}
- {name: cognition.commands, work: false, compacted: false, maxMessageBytes: 0}
- {name: cognition.events, work: false, compacted: false, maxMessageBytes: 0}
- {name: gateway.push-configs, work: false, compacted: true, maxMessageBytes: 0}
- {name: workers.registry, work: false, compacted: true, maxMessageBytes: 0}
- {name: workers.calls, work: false, compacted: false, maxMessageBytes: 0}
- {name: workers.results, work: false, compacted: false, maxMessageBytes: 0}
- {name: mcp.tools, work: false, compacted: true, maxMessageBytes: 4194304}
- {name: tenants.spend, work: false, compacted: true, maxMessageBytes: 0}
{{- end }}

{{/* Name of the Strimzi Kafka cluster the chart renders. */}}
{{- define "codetether.strimziCluster" -}}
{{- printf "%s-kafka" (include "codetether.fullname" .) | trunc 52 | trimSuffix "-" }}
{{- end }}
