{{/*
Scaling of a Kafka worker service (agent, swarm): a KEDA ScaledObject on the lag of its consumer group, or a CPU HPA
when KEDA is absent (mode auto without keda.sh/v1alpha1) or chosen (mode hpa). (dict "root" $ "key" "agent")
*/}}
{{- define "codetether.workerAutoscaler" -}}
{{- $root := .root }}
{{- $a := (index $root.Values .key).autoscaling }}
{{- $scaler := include "codetether.workerScaler" . }}
{{- $src := index (include "codetether.workerSource" $root | fromYaml) .key }}
{{- $name := include "codetether.componentName" . }}
{{- if gt (int $a.maxReplicas) (int $root.Values.kafka.topics.workPartitions) }}
{{- fail (printf "%s.autoscaling.maxReplicas (%v) exceeds kafka.topics.workPartitions (%v): replicas beyond the partition count would sit idle" .key $a.maxReplicas $root.Values.kafka.topics.workPartitions) }}
{{- end }}
{{- if eq $scaler "hpa" }}
{{- include "codetether.hpa" . }}
{{- else if eq $scaler "keda" }}
{{- $sasl := include "codetether.kafkaSasl" $root }}
{{- $tls := or (eq $root.Values.kafka.securityProtocol "SSL") (eq $root.Values.kafka.securityProtocol "SASL_SSL") }}
{{- $auth := or $sasl $root.Values.kafka.tls.caSecret }}
{{- if $auth }}
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {{ $name }}-kafka
  namespace: {{ include "codetether.namespace" $root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  secretTargetRef:
    {{- if $sasl }}
    - parameter: username
      name: {{ $root.Values.kafka.sasl.existingSecret }}
      key: {{ $root.Values.kafka.sasl.usernameKey }}
    - parameter: password
      name: {{ $root.Values.kafka.sasl.existingSecret }}
      key: {{ $root.Values.kafka.sasl.passwordKey }}
    {{- end }}
    {{- if $root.Values.kafka.tls.caSecret }}
    - parameter: ca
      name: {{ $root.Values.kafka.tls.caSecret }}
      key: {{ $root.Values.kafka.tls.caKey }}
    {{- end }}
---
{{- end }}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ $name }}
  namespace: {{ include "codetether.namespace" $root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicaCount: {{ $a.minReplicas }}
  maxReplicaCount: {{ $a.maxReplicas }}
  pollingInterval: {{ $a.keda.pollingInterval }}
  cooldownPeriod: {{ $a.keda.cooldownPeriod }}
  # if the lag cannot be read (Kafka down), run this many replicas instead of guessing
  fallback:
    failureThreshold: 3
    replicas: {{ max 1 $a.minReplicas }}
  triggers:
    - type: kafka
      metadata:
        bootstrapServers: {{ include "codetether.kafkaBootstrap" $root | quote }}
        consumerGroup: {{ $src.group }}
        topic: {{ $src.topic }}
        lagThreshold: {{ $a.keda.lagThreshold | quote }}
        activationLagThreshold: {{ $a.keda.activationLagThreshold | quote }}
        offsetResetPolicy: earliest
        allowIdleConsumers: "false"
        {{- if $sasl }}
        sasl: {{ index (dict "PLAIN" "plaintext" "SCRAM-SHA-256" "scram_sha256" "SCRAM-SHA-512" "scram_sha512") $root.Values.kafka.sasl.mechanism | quote }}
        {{- end }}
        {{- if $tls }}
        tls: enable
        {{- end }}
      {{- if $auth }}
      authenticationRef:
        name: {{ $name }}-kafka
      {{- end }}
{{- end }}
{{- end }}
