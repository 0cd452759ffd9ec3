{{/*
The objects every service has: Deployment, Service, ServiceAccount, PodDisruptionBudget. Called from the
<service>-<kind>.yaml files with (dict "root" $ "key" "<values key>"). Service-specific parts (router GPU, tools
sandbox and workspace) are switched on by key so the rest stays identical across the five services.
*/}}

{{- define "codetether.deployment" -}}
{{- $root := .root }}
{{- $key := .key }}
{{- $v := index $root.Values $key }}
{{- $svc := include "codetether.svc" . | fromYaml }}
{{- $gpu := and (eq $key "router") (eq $root.Values.router.mode "gpu") }}
{{- $image := $v.image }}
{{- $nodeSelector := $v.nodeSelector }}
{{- $tolerations := $v.tolerations }}
{{- $affinity := $v.affinity }}
{{- if $gpu }}
{{- $image = $v.gpu.image }}
{{- $nodeSelector = $v.gpu.nodeSelector }}
{{- $tolerations = $v.gpu.tolerations }}
{{- $affinity = $v.gpu.affinity }}
{{- end }}
{{- $vault := include "codetether.usesVault" . }}
{{- /* the tenants' budgets: one file for the agent's and the swarm coordinator's calls (budgets-configmap.yaml) */}}
{{- $budgets := or (eq $key "agent") (eq $key "swarm") }}
{{- /* the agents' MCP servers (agent-mcp-configmap.yaml), only when some are configured */}}
{{- $mcp := and (eq $key "agent") (include "codetether.mcpEnabled" $root) }}
{{- $scaler := "none" }}
{{- if eq $key "gateway" }}{{ $scaler = ternary "hpa" "none" $v.autoscaling.enabled }}{{ end }}
{{- if or (eq $key "agent") (eq $key "swarm") }}{{ $scaler = include "codetether.workerScaler" . }}{{ end }}
{{- $rwoVolume := false }}
{{- if and (eq $key "tools") (or $v.workspace.persistence.existingClaim $v.workspace.persistence.enabled) }}{{ $rwoVolume = true }}{{ end }}
{{- if and (eq $key "router") (or $v.model.persistence.existingClaim $v.model.persistence.enabled) }}{{ $rwoVolume = true }}{{ end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" $root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  {{- if eq $scaler "none" }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "codetether.selectorLabels" . | nindent 6 }}
  strategy:
    {{- if or $gpu $rwoVolume }}
    # one pod at a time: a ReadWriteOnce volume or a GPU cannot be held by the old and the new pod together
    type: Recreate
    {{- else }}
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
    {{- end }}
  template:
    metadata:
      labels:
        {{- include "codetether.selectorLabels" . | nindent 8 }}
        app.kubernetes.io/part-of: codetether
      annotations:
        checksum/config: {{ include "codetether.configData" . | trim | sha256sum }}
        {{- if $budgets }}
        checksum/budgets: {{ include "codetether.budgetsProperties" $root | sha256sum }}
        {{- end }}
        {{- if $mcp }}
        checksum/mcp: {{ include "codetether.mcpProperties" $root | sha256sum }}
        {{- end }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $svc.port | quote }}
        prometheus.io/path: /q/metrics
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "codetether.componentName" . }}
      # no service calls the Kubernetes API; Vault gets its own audience-bound token below
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: 30
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- if and $gpu $v.gpu.runtimeClassName }}
      runtimeClassName: {{ $v.gpu.runtimeClassName }}
      {{- end }}
      {{- if and (eq $key "tools") $v.sandbox.podUserNamespace }}
      hostUsers: false
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- if and (eq $key "router") $v.model.download.enabled }}
      initContainers:
        - name: model-download
          image: {{ printf "%s:%s" $v.model.download.image.repository $v.model.download.image.tag }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["/bin/sh", "-ec"]
          # downloads only what is missing, into a .part file first so a cut download is never taken for a model
          args:
            - |
              fetch() {
                [ -s "$2" ] && { echo "present: $2"; return 0; }
                curl -fsSL --retry 5 --retry-delay 5 -o "$2.part" "$1"
                mv "$2.part" "$2"
                echo "downloaded: $2"
              }
              fetch "$MODEL_URL" "$MODEL_FILE"
              fetch "$TOKENIZER_URL" "$TOKENIZER_FILE"
              if [ -n "$MODEL_SHA256" ]; then echo "$MODEL_SHA256  $MODEL_FILE" | sha256sum -c -; fi
          env:
            - name: MODEL_URL
              value: {{ required "router.model.download.modelUrl is required when the download is enabled" $v.model.download.modelUrl | quote }}
            - name: TOKENIZER_URL
              value: {{ required "router.model.download.tokenizerUrl is required when the download is enabled" $v.model.download.tokenizerUrl | quote }}
            - name: MODEL_FILE
              value: {{ printf "%s/%s" $v.model.mountPath $v.model.modelFile | quote }}
            - name: TOKENIZER_FILE
              value: {{ printf "%s/%s" $v.model.mountPath $v.model.tokenizerFile | quote }}
            - name: MODEL_SHA256
              value: {{ $v.model.download.modelSha256 | quote }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              memory: 256Mi
          volumeMounts:
            - name: model
              mountPath: {{ $v.model.mountPath }}
            - name: tmp
              mountPath: /tmp
      {{- end }}
      containers:
        - name: {{ $svc.app }}
          image: {{ include "codetether.image" (dict "root" $root "image" $image) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
            {{- with $svc.grpcPort }}
            - name: grpc
              containerPort: {{ . }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "codetether.componentName" . }}
          {{- if and $svc.kafka (include "codetether.kafkaSasl" $root) }}
          {{- $sasl := $root.Values.kafka.sasl }}
          {{- $secret := required "kafka.sasl.existingSecret is required for a SASL_* kafka.securityProtocol" $sasl.existingSecret }}
          {{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $sasl.mechanism "PLAIN") }}
          # credentials stay in the Secret; the JAAS line only references them ($(VAR) is expanded by the kubelet)
          env:
            - name: KAFKA_SASL_USERNAME
              valueFrom:
                secretKeyRef:
                  name: {{ $secret }}
                  key: {{ $sasl.usernameKey }}
            - name: KAFKA_SASL_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ $secret }}
                  key: {{ $sasl.passwordKey }}
            - name: KAFKA_SASL_JAAS_CONFIG
              value: {{ printf "%s required username=\"$(KAFKA_SASL_USERNAME)\" password=\"$(KAFKA_SASL_PASSWORD)\";" $module | quote }}
          {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            # up to 5 minutes before liveness takes over (the router loads its model first)
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- $res := deepCopy $v.resources }}
            {{- if $gpu }}
            {{- $limits := merge (dict $v.gpu.resourceName ($v.gpu.count | toString)) ($res.limits | default dict) }}
            {{- $_ := set $res "limits" $limits }}
            {{- end }}
            {{- toYaml $res | nindent 12 }}
          securityContext:
            {{- $sc := deepCopy $root.Values.containerSecurityContext }}
            {{- if eq $key "tools" }}
            {{- $_ := set $sc "seccompProfile" (include "codetether.profile" $v.sandbox.seccompProfile | fromYaml) }}
            {{- $_ := set $sc "appArmorProfile" (include "codetether.profile" $v.sandbox.appArmorProfile | fromYaml) }}
            {{- if $v.sandbox.unmaskedProc }}
            {{- if not $v.sandbox.podUserNamespace }}
            {{- fail "tools.sandbox.unmaskedProc needs tools.sandbox.podUserNamespace: an unmasked /proc is only safe inside a pod user namespace" }}
            {{- end }}
            {{- $_ := set $sc "procMount" "Unmasked" }}
            {{- end }}
            {{- end }}
            {{- toYaml $sc | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and $svc.kafka $root.Values.kafka.tls.caSecret }}
            - name: kafka-ca
              mountPath: /etc/codetether/kafka-ca
              readOnly: true
            {{- end }}
            {{- if $vault }}
            - name: vault-token
              mountPath: /var/run/secrets/vault
              readOnly: true
            {{- if $root.Values.vault.caSecret }}
            - name: vault-ca
              mountPath: /etc/codetether/vault-ca
              readOnly: true
            {{- end }}
            {{- end }}
            {{- if $budgets }}
            - name: budgets
              mountPath: /etc/codetether/budgets
              readOnly: true
            {{- end }}
            {{- if $mcp }}
            - name: mcp
              mountPath: /etc/codetether/mcp
              readOnly: true
            {{- end }}
            {{- if eq $key "gateway" }}
            - name: tenant-bindings
              mountPath: /etc/codetether/tenants
              readOnly: true
            {{- end }}
            {{- if eq $key "router" }}
            - name: model
              mountPath: {{ $v.model.mountPath }}
              readOnly: true
            {{- end }}
            {{- if eq $key "tools" }}
            - name: workspace
              mountPath: {{ $v.workspace.mountPath }}
            {{- end }}
            {{- if eq $key "gateway" }}
            - name: task-store
              mountPath: {{ $v.store.dir }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 512Mi
        {{- if and $svc.kafka $root.Values.kafka.tls.caSecret }}
        - name: kafka-ca
          secret:
            secretName: {{ $root.Values.kafka.tls.caSecret }}
        {{- end }}
        {{- if $vault }}
        - name: vault-token
          projected:
            sources:
              - serviceAccountToken:
                  path: token
                  audience: {{ $root.Values.vault.kubernetesAuth.audience }}
                  expirationSeconds: {{ $root.Values.vault.kubernetesAuth.tokenExpirationSeconds }}
        {{- if $root.Values.vault.caSecret }}
        - name: vault-ca
          secret:
            secretName: {{ $root.Values.vault.caSecret }}
        {{- end }}
        {{- end }}
        {{- if $budgets }}
        - name: budgets
          configMap:
            name: {{ include "codetether.budgetsName" $root }}
        {{- end }}
        {{- if $mcp }}
        - name: mcp
          configMap:
            name: {{ include "codetether.mcpName" $root }}
        {{- end }}
        {{- if eq $key "gateway" }}
        - name: tenant-bindings
          configMap:
            name: {{ include "codetether.tenantBindingsName" $root }}
        {{- end }}
        {{- if eq $key "router" }}
        - name: model
          {{- if or $v.model.persistence.existingClaim $v.model.persistence.enabled }}
          persistentVolumeClaim:
            claimName: {{ $v.model.persistence.existingClaim | default (printf "%s-model" (include "codetether.componentName" .)) }}
          {{- else }}
          emptyDir:
            sizeLimit: {{ $v.model.persistence.size }}
          {{- end }}
        {{- end }}
        {{- if eq $key "tools" }}
        - name: workspace
          {{- if or $v.workspace.persistence.existingClaim $v.workspace.persistence.enabled }}
          persistentVolumeClaim:
            claimName: {{ $v.workspace.persistence.existingClaim | default (printf "%s-workspace" (include "codetether.componentName" .)) }}
          {{- else }}
          emptyDir:
            sizeLimit: {{ $v.workspace.persistence.size }}
          {{- end }}
        {{- end }}
        {{- if eq $key "gateway" }}
        # the task store (docs/operations.md "Gateway task store"): kept across container restarts in the pod
        - name: task-store
          {{- if eq $v.store.volume.type "ephemeral" }}
          ephemeral:
            volumeClaimTemplate:
              metadata:
                labels:
                  {{- include "codetether.selectorLabels" . | nindent 18 }}
              spec:
                accessModes: ["ReadWriteOnce"]
                {{- with $v.store.volume.storageClass }}
                storageClassName: {{ . }}
                {{- end }}
                resources:
                  requests:
                    storage: {{ $v.store.volume.size }}
          {{- else }}
          emptyDir:
            sizeLimit: {{ $v.store.volume.size }}
          {{- end }}
        {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/* A seccomp/AppArmor profile object: localhostProfile only for type Localhost (the API rejects it otherwise). */}}
{{- define "codetether.profile" -}}
type: {{ .type }}
{{- if eq .type "Localhost" }}
localhostProfile: {{ required "a Localhost seccomp/AppArmor profile needs localhostProfile" .localhostProfile }}
{{- end }}
{{- end }}

{{- define "codetether.service" -}}
{{- $svc := include "codetether.svc" . | fromYaml }}
{{- $v := index .root.Values .key }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" .root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  type: {{ (($v.service).type) | default "ClusterIP" }}
  selector:
    {{- include "codetether.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ (($v.service).port) | default $svc.port }}
      targetPort: http
      protocol: TCP
    {{- with $svc.grpcPort }}
    # a gRPC server of its own (HTTP/2 cleartext); the http port keeps health and metrics
    - name: grpc
      port: {{ . }}
      targetPort: grpc
      protocol: TCP
      appProtocol: kubernetes.io/h2c
    {{- end }}
{{- end }}

{{- define "codetether.serviceaccount" -}}
{{- if .root.Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" .root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
  {{- with .root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
# least privilege: no Role or RoleBinding, and no API token mounted by default
automountServiceAccountToken: false
{{- end }}
{{- end }}

{{- define "codetether.pdb" -}}
{{- $v := index .root.Values .key }}
{{- if $v.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" .root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "codetether.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* CPU HorizontalPodAutoscaler: the gateway's scaler, and the fallback for agent/swarm when KEDA is absent. */}}
{{- define "codetether.hpa" -}}
{{- $a := (index .root.Values .key).autoscaling }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "codetether.componentName" . }}
  namespace: {{ include "codetether.namespace" .root }}
  labels:
    {{- include "codetether.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "codetether.componentName" . }}
  minReplicas: {{ max 1 $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
  behavior:
    scaleDown:
      # long-lived SSE streams and running agent turns: shrink slowly
      stabilizationWindowSeconds: 300
{{- end }}
